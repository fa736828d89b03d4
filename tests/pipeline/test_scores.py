import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.stats
import sklearn.feature_selection as skfs
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine

from m4ml.pipeline.scores import _chi2_sf, _f_sf, chi2, f_classif, f_regression, mutual_info_classif

PENGUINS = Path(__file__).resolve().parent.parent / "data" / "penguins.csv"
DATASETS = [load_iris, load_wine, load_breast_cancer, load_digits]


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def test_f_and_chi2_tail_probabilities_match_scipy():
    f = np.array([0.0, 1e-8, 0.3, 1.0, 2.5, 17.0, 300.0, np.inf])
    for dfn, dfd in [(1, 1), (1, 10), (3, 40), (9, 1790), (2, 147)]:
        np.testing.assert_allclose(_f_sf(f, dfn, dfd), scipy.stats.f.sf(f, dfn, dfd), rtol=1e-12)
    x = np.array([0.0, 0.01, 1.0, 5.0, 40.0, 400.0])
    for k in (1, 2, 5, 9):
        np.testing.assert_allclose(_chi2_sf(x, k), scipy.stats.chi2.sf(x, k), rtol=1e-12)
    assert np.isnan(_f_sf(np.nan, 2, 3))


@pytest.mark.parametrize("load", DATASETS, ids=lambda f: f.__name__)
def test_scores_match_sklearn_on_datasets(load):
    X, y = load(return_X_y=True)
    F, p = _quiet(f_classif, X, y)
    F_ref, p_ref = _quiet(skfs.f_classif, X, y)
    ok = np.isfinite(F_ref)
    # scikit-learn subtracts raw sums of squares; we centre first: agreement to ~1e-11
    np.testing.assert_allclose(F[ok], F_ref[ok], rtol=1e-10)
    np.testing.assert_allclose(p[ok], p_ref[ok], rtol=1e-10, atol=1e-300)
    s, ps = _quiet(chi2, X, y)
    s_ref, ps_ref = _quiet(skfs.chi2, X, y)
    np.testing.assert_allclose(s, s_ref, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(ps, ps_ref, rtol=1e-11, atol=1e-300, equal_nan=True)
    target = X[:, 1] + 0.5 * y
    Fr, pr = f_regression(X, target)
    Fr_ref, pr_ref = _quiet(skfs.f_regression, X, target)
    np.testing.assert_allclose(Fr, Fr_ref, rtol=1e-10)
    np.testing.assert_allclose(pr, pr_ref, rtol=1e-9, atol=1e-300)
    # same RandomState: same jitter, hence the same neighbours and the same estimate
    Xm = X[:, :: max(1, X.shape[1] // 16)]  # at most ~16 columns: sklearn's tree is slow
    mi = mutual_info_classif(Xm, y, random_state=np.random.RandomState(0))
    mi_ref = skfs.mutual_info_classif(Xm, y, random_state=np.random.RandomState(0))
    np.testing.assert_allclose(mi, mi_ref, rtol=1e-12, atol=1e-14)
    mid = mutual_info_classif(X, y, discrete_features=True)
    np.testing.assert_allclose(
        mid, skfs.mutual_info_classif(X, y, discrete_features=True), rtol=1e-12, atol=1e-14
    )


@pytest.mark.parametrize("offset", [0.0, 1e4])
def test_f_classif_is_more_accurate_than_one_pass_sums(offset):
    X, y = load_breast_cancer(return_X_y=True)
    X = X + offset  # a large offset: one-pass sums of squares lose digits
    Xl = X.astype(np.longdouble)  # 80-bit reference on the same float64 input
    classes = np.unique(y)
    grand = Xl.mean(axis=0)
    ssb = sum((y == c).sum() * (Xl[y == c].mean(axis=0) - grand) ** 2 for c in classes)
    ssw = sum(((Xl[y == c] - Xl[y == c].mean(axis=0)) ** 2).sum(axis=0) for c in classes)
    exact = (ssb / (len(classes) - 1)) / (ssw / (len(y) - len(classes)))
    ours = (np.abs(f_classif(X, y)[0] - exact) / exact).max()
    theirs = (np.abs(_quiet(skfs.f_classif, X, y)[0] - exact) / exact).max()
    assert ours < 1e-10  # theirs: 4e-11 without offset, 3.6 (no digit right) with it
    assert ours <= theirs


def test_random_inputs_and_string_labels(rng):
    X = rng.standard_normal((200, 6))
    y = rng.choice(["cat", "dog", "emu"], 200)
    F, p = f_classif(X, y)
    F_ref, p_ref = skfs.f_classif(X, y)
    np.testing.assert_allclose(F, F_ref, rtol=1e-12)
    np.testing.assert_allclose(p, p_ref, rtol=1e-12)
    np.testing.assert_allclose(
        F, scipy.stats.f_oneway(*[X[y == c] for c in ["cat", "dog", "emu"]])[0], rtol=1e-12
    )
    A = np.abs(X)
    np.testing.assert_allclose(chi2(A, y)[0], skfs.chi2(A, y)[0], rtol=1e-12)
    t = X @ rng.standard_normal(6) + rng.standard_normal(200)
    for center in (True, False):
        ours = f_regression(X, t, center=center)
        ref = skfs.f_regression(X, t, center=center)
        np.testing.assert_allclose(ours[0], ref[0], rtol=1e-12)
        np.testing.assert_allclose(ours[1], ref[1], rtol=1e-11)


def test_penguins_numeric_columns():
    df = pd.read_csv(PENGUINS).dropna()
    X = df[["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]].to_numpy()
    y = df["species"].to_numpy()
    np.testing.assert_allclose(f_classif(X, y)[0], skfs.f_classif(X, y)[0], rtol=1e-12)
    np.testing.assert_allclose(chi2(X, y)[0], skfs.chi2(X, y)[0], rtol=1e-12)
    mi = mutual_info_classif(X, y, random_state=np.random.RandomState(3), n_neighbors=5)
    ref = skfs.mutual_info_classif(X, y, random_state=np.random.RandomState(3), n_neighbors=5)
    np.testing.assert_allclose(mi, ref, rtol=1e-12)


def test_constant_features_and_force_finite():
    X = np.array([[1.0, 2.0, 0.0], [1.0, 4.0, 1.0], [1.0, 6.0, 0.0], [1.0, 8.0, 1.0]])
    y = np.array([1.0, 2.0, 3.0, 4.0])
    F, p = f_regression(X, y)
    assert F[0] == 0.0 and p[0] == 1.0  # constant feature
    assert F[1] > 1e15 and p[1] == 0.0  # perfectly correlated
    F_raw, p_raw = f_regression(X, y, force_finite=False)
    assert np.isnan(F_raw[0]) and np.isnan(p_raw[0])
    F_ref = _quiet(skfs.f_regression, X, y)[0]
    assert F_ref[0] == 0.0 and F[2] == pytest.approx(F_ref[2], rel=1e-12)
    Fy, py = f_regression(X, np.ones(4))  # constant target
    np.testing.assert_array_equal(Fy, 0.0)
    np.testing.assert_array_equal(py, 1.0)
    with pytest.warns(UserWarning, match="constant"):
        Fc, pc = f_classif(np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 5.0], [1.0, 5.0]]), [0, 0, 1, 1])
    assert np.isnan(Fc[0]) and np.isinf(Fc[1]) and pc[1] == 0.0
    with pytest.warns(UserWarning, match="zero everywhere"):
        s, _ = chi2(np.array([[0.0, 1.0], [0.0, 2.0]]), [0, 1])
    assert np.isnan(s[0]) and s[1] == pytest.approx(1 / 3)


def test_mutual_info_generator_seed(rng):
    X, y = load_iris(return_X_y=True)
    a = mutual_info_classif(X, y, random_state=0)
    b = mutual_info_classif(X, y, random_state=np.random.default_rng(0))
    np.testing.assert_array_equal(a, b)
    # without ties the 1e-10 jitter moves no neighbour: any noise stream gives sklearn's value
    Z = rng.standard_normal((150, 3))
    np.testing.assert_allclose(
        mutual_info_classif(Z, y, random_state=1),
        skfs.mutual_info_classif(Z, y, random_state=1),
        rtol=1e-12,
        atol=1e-14,
    )
    mask = np.array([True, False, True, False])
    Xd = np.round(X)
    ours = mutual_info_classif(Xd, y, discrete_features=mask, random_state=np.random.RandomState(1))
    theirs = skfs.mutual_info_classif(
        Xd, y, discrete_features=mask, random_state=np.random.RandomState(1)
    )
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)
    idx = mutual_info_classif(
        Xd, y, discrete_features=[0, 2], random_state=np.random.RandomState(1)
    )
    np.testing.assert_array_equal(idx, ours)


@pytest.mark.parametrize("k", [1, 2, 7])
def test_mutual_info_neighbours_and_singleton_classes(rng, k):
    X = np.round(rng.standard_normal((120, 3)), 1)  # many ties
    y = rng.integers(0, 4, 120)
    y[:2] = [9, 10]  # two points alone in their class
    ours = mutual_info_classif(X, y, n_neighbors=k, random_state=np.random.RandomState(5))
    ref = skfs.mutual_info_classif(X, y, n_neighbors=k, random_state=np.random.RandomState(5))
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-14)
    assert (ours >= 0).all()


def test_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        chi2([[-1.0], [2.0]], [0, 1])
    with pytest.raises(ValueError, match="different numbers of samples"):
        f_classif([[1.0], [2.0]], [0, 1, 1])
    with pytest.raises(ValueError, match="at least 2 classes"):
        f_classif([[1.0], [2.0], [3.0]], ["a", "a", "a"])
    with pytest.raises(ValueError, match="at least 2 classes"):
        chi2([[1.0], [2.0]], [0, 0])
    with pytest.raises(ValueError, match="more samples"):
        f_classif([[1.0], [2.0]], [0, 1])
    with pytest.raises(ValueError, match="NaN"):
        f_regression([[np.nan], [1.0], [2.0]], [1, 2, 3])
    with pytest.raises(ValueError, match="at least 3 samples"):
        f_regression([[1.0], [2.0]], [1, 2])
    with pytest.raises(ValueError, match="n_neighbors"):
        mutual_info_classif([[1.0], [2.0]], [0, 1], n_neighbors=0)
    with pytest.raises(ValueError, match="discrete_features"):
        mutual_info_classif([[1.0], [2.0]], [0, 1], discrete_features="yes")
    with pytest.raises(ValueError, match="at least one sample"):
        f_classif(np.empty((0, 3)), [])


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 10_000),
    st.floats(0.1, 100.0),
    st.floats(-1e3, 1e3),
)
def test_f_statistics_are_affine_invariant(seed, scale, shift):
    r = np.random.default_rng(seed)
    X = r.standard_normal((30, 3))
    y = np.repeat([0, 1, 2], 10)
    t = X[:, 0] + r.standard_normal(30)
    np.testing.assert_allclose(f_classif(scale * X + shift, y)[0], f_classif(X, y)[0], rtol=1e-8)
    np.testing.assert_allclose(
        f_regression(scale * X + shift, t)[0], f_regression(X, t)[0], rtol=1e-8
    )
    A = np.abs(X)
    np.testing.assert_allclose(chi2(scale * A, y)[0], scale * chi2(A, y)[0], rtol=1e-10)
    relabel = np.array(["z", "a", "m"])[y]
    np.testing.assert_allclose(
        mutual_info_classif(np.round(X), relabel, discrete_features=True),
        mutual_info_classif(np.round(X), y, discrete_features=True),
        rtol=1e-12,
        atol=1e-15,
    )
