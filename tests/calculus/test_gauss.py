"""Gauss–Legendre (Golub–Welsch) and Gauss–Kronrod rules."""

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.calculus.gauss import gauss_legendre, gauss_legendre_nodes, kronrod_nodes


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 20, 64, 150])
def test_nodes_match_numpy_leggauss(n):
    x, w = gauss_legendre_nodes(n)
    ref_x, ref_w = np.polynomial.legendre.leggauss(n)
    np.testing.assert_allclose(x, ref_x, atol=2e-15)
    np.testing.assert_allclose(w, ref_w, rtol=5e-11, atol=1e-15)
    assert w.sum() == pytest.approx(2.0, abs=1e-14)


def test_nodes_are_copies():
    x, _ = gauss_legendre_nodes(4)
    x[0] = 99.0
    assert gauss_legendre_nodes(4)[0][0] == pytest.approx(-0.8611363115940526, abs=1e-15)


# first nodes/weights of the classical pairs (Piessens et al., QUADPACK, 1983)
@pytest.mark.parametrize(
    ("n", "node", "weight", "gauss_weight"),
    [
        (7, 0.991455371120812639206854697526329, 0.022935322010529224963732008058970, 0.0),
        (10, 0.995657163025808080735527280689003, 0.011694638867371874278064396062192, 0.0),
    ],
)
def test_kronrod_tables(n, node, weight, gauss_weight):
    x, wk, wg = kronrod_nodes(n)
    assert x[-1] == pytest.approx(node, abs=2e-16)
    assert wk[-1] == pytest.approx(weight, abs=1e-15)
    assert wg[-1] == gauss_weight
    np.testing.assert_allclose(x[1::2], gauss_legendre_nodes(n)[0], atol=1e-16)
    np.testing.assert_allclose(wg[1::2], gauss_legendre_nodes(n)[1], atol=1e-16)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 10, 15, 20])
def test_kronrod_degree_of_exactness(n):
    x, wk, wg = kronrod_nodes(n)
    degree = 3 * n + 1 + (n % 2)
    for d in range(degree + 1):
        exact = 0.0 if d % 2 else 2.0 / (d + 1)
        assert wk @ x**d == pytest.approx(exact, abs=1e-13)
    # the embedded Gauss rule is exact only to 2n - 1: it misses int P_n^2 = 2 / (2n + 1)
    p_n = np.polynomial.legendre.Legendre.basis(n)(x)
    assert wg @ p_n**2 == pytest.approx(0.0, abs=1e-12)
    assert wk @ p_n**2 == pytest.approx(2.0 / (2 * n + 1), abs=1e-13)


@pytest.mark.parametrize(
    ("f", "a", "b", "n"),
    [(np.exp, 0, 1, 5), (np.sin, 0, np.pi, 12), (lambda x: 1 / (1 + x * x), -3, 2, 30)],
)
def test_gauss_legendre_matches_fixed_quad(f, a, b, n):
    ref, _ = si.fixed_quad(f, a, b, n=n)
    assert gauss_legendre(f, a, b, n=n) == pytest.approx(ref, abs=1e-14)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12), st.floats(-3, 3), st.floats(-3, 3), st.integers(0, 2**31))
def test_exact_for_degree_2n_minus_1(n, a, b, seed):
    coefs = np.random.default_rng(seed).standard_normal(2 * n)
    p = np.polynomial.Polynomial(coefs)
    exact = p.integ()(b) - p.integ()(a)
    assert gauss_legendre(p, a, b, n=n) == pytest.approx(exact, rel=1e-12, abs=1e-11)


def test_args_and_errors():
    assert gauss_legendre(lambda x, k: x**k, 0, 1, n=3, args=(2,)) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="finite limits"):
        gauss_legendre(np.exp, 0, np.inf)
    with pytest.raises(ValueError, match="vectorized"):
        gauss_legendre(lambda x: 1.0, 0, 1)
    with pytest.raises(ValueError, match="NaN or infinity"):
        gauss_legendre(lambda x: np.where(x > 0.5, np.nan, x), 0, 1)
    with pytest.raises(ValueError, match=">= 1"):
        gauss_legendre_nodes(0)
    with pytest.raises(TypeError, match="integer"):
        gauss_legendre_nodes(2.5)
    with pytest.raises(ValueError, match="<= 40"):
        kronrod_nodes(41)
