"""Agreement with NumPy, SciPy and scikit-learn on seeded random inputs.

Each row runs one m4ml function and the production library's on identical inputs and reports
the normwise relative difference :math:`\\|a - b\\| / \\|b\\|` (the largest over the outputs
compared) and its digits, :math:`-\\log_{10}` of it (capped at 16). Outputs defined only up to
sign (eigenvectors, singular vectors, QR) are compared through invariants (eigenvalues,
singular values, :math:`|R|`). The estimators are compared on their learned parameters.
"""

import numpy as np
import scipy.stats as ss

SEED = 20261207


def _rng():
    return np.random.default_rng(SEED)


def _spd(n):
    A = _rng().standard_normal((n, n))
    return A @ A.T + n * np.eye(n)


def _linalg():
    import m4ml.linalg as la

    rng = _rng()
    A, b = rng.standard_normal((200, 200)), rng.standard_normal(200)
    T, S = rng.standard_normal((300, 40)), _spd(200)
    yield "solve 200×200", "numpy.linalg.solve", la.solve(A, b), np.linalg.solve(A, b)
    yield "inv 200×200", "numpy.linalg.inv", la.inv(A), np.linalg.inv(A)
    yield "slogdet 200×200", "numpy.linalg.slogdet", la.slogdet(A)[1], np.linalg.slogdet(A)[1]
    yield "cholesky 200×200", "numpy.linalg.cholesky", la.cholesky(S), np.linalg.cholesky(S)
    yield "qr 300×40 (|R|)", "numpy.linalg.qr", abs(la.qr(T)[1]), abs(np.linalg.qr(T)[1])
    yield "eigh 200×200 (eigenvalues)", "numpy.linalg.eigh", la.eigh(S)[0], np.linalg.eigh(S)[0]
    yield "svd 300×40 (singular values)", "numpy.linalg.svd", la.svdvals(T), np.linalg.svdvals(T)
    c = rng.standard_normal(300)
    yield "lstsq 300×40", "numpy.linalg.lstsq", la.lstsq(T, c)[0], np.linalg.lstsq(T, c)[0]
    yield "pinv 300×40", "numpy.linalg.pinv", la.pinv(T), np.linalg.pinv(T)


def _distributions():
    from m4ml.probability import Beta, Gamma, Normal, StudentT

    x = np.linspace(-8, 8, 401)
    q = np.linspace(1e-6, 1 - 1e-6, 401)
    u = np.linspace(0.001, 0.999, 401)
    yield "Normal logpdf", "scipy.stats.norm", Normal(1, 2).logpdf(x), ss.norm(1, 2).logpdf(x)
    yield "Normal ppf", "scipy.stats.norm", Normal(1, 2).ppf(q), ss.norm(1, 2).ppf(q)
    yield "StudentT(3.5) cdf", "scipy.stats.t", StudentT(3.5).cdf(x), ss.t(3.5).cdf(x)
    yield (
        "Gamma(2.5) ppf",
        "scipy.stats.gamma",
        Gamma(2.5, 2.0).ppf(q),
        ss.gamma(2.5, scale=0.5).ppf(q),
    )
    yield "Beta(0.7, 3) cdf", "scipy.stats.beta", Beta(0.7, 3).cdf(u), ss.beta(0.7, 3).cdf(u)


def _tests():
    import m4ml.stats as ms

    rng = _rng()
    a, b = rng.standard_normal(80), rng.standard_normal(60) + 0.3
    groups = [rng.standard_normal(30) + 0.2 * k for k in range(4)]
    yield (
        "ttest_ind p-value",
        "scipy.stats.ttest_ind",
        ms.ttest_ind(a, b).pvalue,
        ss.ttest_ind(a, b).pvalue,
    )
    yield (
        "f_oneway p-value",
        "scipy.stats.f_oneway",
        ms.f_oneway(*groups).pvalue,
        ss.f_oneway(*groups).pvalue,
    )
    yield (
        "pearsonr r",
        "scipy.stats.pearsonr",
        ms.pearsonr(a[:60], b).statistic,
        ss.pearsonr(a[:60], b).statistic,
    )
    yield (
        "mannwhitneyu p-value",
        "scipy.stats.mannwhitneyu",
        ms.mannwhitneyu(a, b).pvalue,
        ss.mannwhitneyu(a, b).pvalue,
    )


def _estimators():
    import sklearn.decomposition as skd
    import sklearn.linear_model as skl
    import sklearn.naive_bayes as sknb

    import m4ml.models as mm

    rng = _rng()
    X = rng.standard_normal((300, 8))
    y = X @ rng.standard_normal(8) + 0.1 * rng.standard_normal(300)
    labels = (y > 0).astype(int)
    yield (
        "Ridge(alpha=1) coef",
        "sklearn Ridge",
        mm.Ridge(1.0).fit(X, y).coef_,
        skl.Ridge(1.0).fit(X, y).coef_,
    )
    ours = mm.LogisticRegression(C=1.0, tol=1e-10, max_iter=1000).fit(X, labels).coef_
    theirs = skl.LogisticRegression(C=1.0, tol=1e-10, max_iter=1000).fit(X, labels).coef_
    yield "LogisticRegression(C=1) coef", "sklearn LogisticRegression", ours, theirs
    yield (
        "PCA explained variance",
        "sklearn PCA",
        mm.PCA(4).fit(X).explained_variance_,
        skd.PCA(4).fit(X).explained_variance_,
    )
    ours = mm.GaussianNB().fit(X, labels).predict_proba(X)
    yield (
        "GaussianNB predict_proba",
        "sklearn GaussianNB",
        ours,
        sknb.GaussianNB().fit(X, labels).predict_proba(X),
    )


GROUPS = {
    "linalg vs NumPy": _linalg,
    "distributions vs scipy.stats": _distributions,
    "tests vs scipy.stats": _tests,
    "estimators vs scikit-learn": _estimators,
}


def relative_difference(ours, theirs):
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    if ours.shape != theirs.shape:
        raise ValueError(f"shapes differ: {ours.shape} vs {theirs.shape}")
    scale = np.linalg.norm(theirs)
    diff = np.linalg.norm(ours - theirs)
    return float(diff / scale) if scale > 0 else float(diff)


def run(group):
    """``[{"name", "reference", "rel_diff", "digits"}]`` for one group of ``GROUPS``."""
    rows = []
    for name, reference, ours, theirs in GROUPS[group]():
        rel = relative_difference(ours, theirs)
        digits = 16.0 if rel == 0 else min(16.0, -np.log10(rel))
        rows.append(
            {
                "name": name,
                "reference": reference,
                "rel_diff": float(f"{rel:.2g}"),
                "digits": round(digits, 1),
            }
        )
    return rows
