"""average, cov, quantile/percentile, interp, unique, bincount, logspace, ldexp/frexp:
values equal NumPy's, derivatives checked to second order, errors typed."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, grad

X = np.random.default_rng(21).standard_normal((4, 6))
W = np.arange(1.0, 7.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"rowvar": False},
        {"bias": True},
        {"ddof": 2},
        {"fweights": np.array([1, 2, 1, 3, 1, 1])},
        {"aweights": W},
    ],
    ids=str,
)
def test_cov(kwargs):
    x = X if kwargs.get("rowvar", True) else X.T
    np.testing.assert_allclose(mnp.cov(x, **kwargs), np.cov(x, **kwargs), rtol=1e-13)
    check_grads(lambda a: mnp.cov(a, **kwargs), (x,), order=2)


def test_cov_two_variables_and_traced_weights():
    np.testing.assert_allclose(mnp.cov(X[0], X[1]), np.cov(X[0], X[1]), rtol=1e-13)
    check_grads(lambda w: mnp.cov(X, aweights=w), (W,), order=2)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_average_and_quantiles(axis):
    w = W if axis == 1 else None
    np.testing.assert_allclose(
        mnp.average(X, axis=axis, weights=w), np.average(X, axis=axis, weights=w), rtol=1e-14
    )
    for q in (0.3, [0.0, 0.5, 1.0]):
        np.testing.assert_allclose(
            mnp.quantile(X, q, axis=axis), np.quantile(X, q, axis=axis), rtol=1e-14
        )
        np.testing.assert_allclose(
            mnp.quantile(X, q, axis=axis, keepdims=True),
            np.quantile(X, q, axis=axis, keepdims=True),
            rtol=1e-14,
        )
        check_grads(lambda a, q=q: mnp.quantile(a, q, axis=axis), (X,), order=2)
    check_grads(lambda a, b: mnp.average(a, axis=1, weights=b), (X, W), order=2)


def test_interp_inside_outside_and_in_every_argument():
    xp = np.array([0.0, 0.5, 1.5, 2.0])
    fp = np.array([1.0, -1.0, 2.0, 0.0])
    x = np.array([-0.5, 0.2, 0.7, 1.9, 2.5])
    np.testing.assert_allclose(mnp.interp(x, xp, fp), np.interp(x, xp, fp), rtol=1e-15)
    np.testing.assert_allclose(
        mnp.interp(x, xp, fp, left=-9.0, right=9.0), np.interp(x, xp, fp, -9.0, 9.0)
    )
    check_grads(lambda a, b, c: mnp.interp(a, b, c), (x, xp, fp), order=2)


def test_unique_bincount_logspace_ldexp_frexp():
    a = np.array([3.0, 1.0, 3.0, 2.0])
    _, idx, counts = mnp.unique(a, return_index=True, return_counts=True)
    np.testing.assert_array_equal(counts, [1, 1, 2])
    np.testing.assert_array_equal(idx, [1, 3, 0])
    g = grad(lambda v: mnp.sum(mnp.unique(v) * np.array([1.0, 2.0, 3.0])))(a)
    np.testing.assert_array_equal(g, [3.0, 1.0, 0.0, 2.0])  # first occurrences
    i = np.array([0, 2, 2, 1])
    np.testing.assert_allclose(mnp.bincount(i, a), np.bincount(i, a))
    check_grads(lambda w: mnp.bincount(i, w, minlength=5), (a,), order=2)
    check_grads(lambda s: mnp.logspace(s, 2.0, 4, base=2.0), (np.array(0.5),), order=2)
    np.testing.assert_allclose(mnp.ldexp(a, 2), np.ldexp(a, 2))
    m, e = mnp.frexp(a)
    np.testing.assert_array_equal(np.ldexp(m, e), a)
    np.testing.assert_allclose(grad(lambda v: mnp.sum(mnp.frexp(v)[0]))(a), 2.0**-e)


def test_errors():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        mnp.quantile(X, 1.5)
    with pytest.raises(ValueError, match="same length"):
        mnp.interp(X, np.arange(3.0), np.arange(4.0))
    with pytest.raises(ZeroDivisionError, match="sum to zero"):
        mnp.average(X, axis=1, weights=np.zeros(6))
    with pytest.raises(ValueError, match="weights"):
        mnp.average(X, weights=W)


def test_take_and_set_operations():
    a, b = np.array([3.0, 1.0, 3.0, 2.0]), np.array([2.0, 5.0, 1.0])
    np.testing.assert_array_equal(mnp.take(X, [0, 7, 7]), np.take(X, [0, 7, 7]))
    np.testing.assert_array_equal(mnp.take(X, [2, 0], axis=1), np.take(X, [2, 0], axis=1))
    np.testing.assert_array_equal(mnp.union1d(a, b), np.union1d(a, b))
    np.testing.assert_array_equal(mnp.setdiff1d(a, b), np.setdiff1d(a, b))
    np.testing.assert_array_equal(mnp.intersect1d(a, b), np.intersect1d(a, b))
    g = grad(lambda v: mnp.sum(mnp.setdiff1d(v, b) * 2.0) + mnp.sum(mnp.intersect1d(v, b)))(a)
    np.testing.assert_array_equal(g, [2.0, 1.0, 0.0, 1.0])
    check_grads(lambda v: mnp.take(v, [0, 0, 3]) ** 2, (a,), order=2)
