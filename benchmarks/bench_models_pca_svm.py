"""PCA, kernel PCA and the SVMs (m4ml.models) vs scikit-learn, identical data.

The issue's targets (one BLAS thread): PCA 20000x200 k=10 default solver <= 1.2x scikit-learn's
default; SVC rbf 4000x20 C=1 gamma="scale" fit <= 3x LIBSVM and predict on 1000 rows <= 1.0x;
LinearSVC 4000x20 <= 3x; KernelPCA rbf 2000 samples, 2 components <= 1.5x.
"""

import numpy as np

from benchmarks.workload import Workload


def _planted():
    rng = np.random.default_rng(0)
    n, d, r = 20_000, 200, 10
    signal = rng.normal(size=(n, r)) @ (rng.normal(size=(r, d)) * np.linspace(10, 1, r)[:, None])
    return (signal + rng.normal(size=(n, d)) + 5.0,)


def _m4ml_pca(X):
    from m4ml.models import PCA

    return PCA(10).fit(X).explained_variance_


def _sk_pca(X):
    from sklearn.decomposition import PCA

    return PCA(10).fit(X).explained_variance_


def _clf_data():
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(5000, 20, n_informative=10, random_state=0)
    X = StandardScaler().fit_transform(X)
    return X[:4000], y[:4000], X[4000:]


def _m4ml_svc_fit(X, y, T):
    from m4ml.models import SVC

    return SVC(C=1.0, gamma="scale").fit(X, y).n_support_


def _sk_svc_fit(X, y, T):
    from sklearn.svm import SVC

    return SVC(C=1.0, gamma="scale").fit(X, y).n_support_


def _svc_predict_data():
    from sklearn.svm import SVC as SkSVC

    from m4ml.models import SVC

    X, y, T = _clf_data()
    return SVC().fit(X, y), SkSVC().fit(X, y), T


def _m4ml_predict(ours, ref, T):
    return ours.predict(T)


def _sk_predict(ours, ref, T):
    return ref.predict(T)


def _m4ml_linear_svc(X, y, T):
    from m4ml.models import LinearSVC

    return LinearSVC().fit(X, y).coef_


def _sk_linear_svc(X, y, T):
    from sklearn.svm import LinearSVC

    return LinearSVC().fit(X, y).coef_


def _kpca_data():
    return (np.random.default_rng(0).normal(size=(2000, 10)),)


def _m4ml_kpca(X):
    from m4ml.models import KernelPCA

    return KernelPCA(2, kernel="rbf").fit(X).eigenvalues_


def _sk_kpca(X):
    from sklearn.decomposition import KernelPCA

    return KernelPCA(2, kernel="rbf").fit(X).eigenvalues_


WORKLOADS = [
    Workload(
        name="PCA 20000x200, k=10, default solver (planted rank 10)",
        group="models",
        setup=_planted,
        m4ml=_m4ml_pca,
        reference=_sk_pca,
        reference_name="sklearn.decomposition.PCA",
        target=1.2,
        repeats=5,
    ),
    Workload(
        name="SVC rbf fit 4000x20, C=1, gamma='scale'",
        group="models",
        setup=_clf_data,
        m4ml=_m4ml_svc_fit,
        reference=_sk_svc_fit,
        reference_name="sklearn.svm.SVC (LIBSVM)",
        target=3.0,
        repeats=3,
    ),
    Workload(
        name="SVC rbf predict 1000 rows (model fitted on 4000x20)",
        group="models",
        setup=_svc_predict_data,
        m4ml=_m4ml_predict,
        reference=_sk_predict,
        reference_name="sklearn.svm.SVC.predict (LIBSVM)",
        target=1.0,
    ),
    Workload(
        name="LinearSVC squared hinge 4000x20",
        group="models",
        setup=_clf_data,
        m4ml=_m4ml_linear_svc,
        reference=_sk_linear_svc,
        reference_name="sklearn.svm.LinearSVC (LIBLINEAR)",
        target=3.0,
    ),
    Workload(
        name="KernelPCA rbf 2000x10, 2 components",
        group="models",
        setup=_kpca_data,
        m4ml=_m4ml_kpca,
        reference=_sk_kpca,
        reference_name="sklearn.decomposition.KernelPCA (ARPACK)",
        target=1.5,
        repeats=5,
    ),
]
