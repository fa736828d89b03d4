"""is_convex: witnesses for non-convex functions, none for convex ones, valid witnesses."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.optim.convexity import ConvexityResult, is_convex

BOX2 = (-2 * np.ones(2), 2 * np.ones(2))


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


@pytest.mark.parametrize(
    ("f", "domain"),
    [
        (mnp.sin, (-5.0, 5.0)),
        (lambda x: x**4 - x**2, (-2.0, 2.0)),
        (rosenbrock, BOX2),
        (lambda x: -mnp.sum(x**2), BOX2),
    ],
    ids=["sin", "quartic", "rosenbrock", "concave"],
)
def test_non_convex_functions_have_a_valid_witness(f, domain):
    r = is_convex(f, domain, rng=0)
    assert r.verdict is False and not r and r.violation > 0
    w = r.witness
    if w["kind"] == "jensen":  # re-check the witness independently
        z = w["t"] * w["x"] + (1 - w["t"]) * w["y"]
        lhs = float(f(z))
        rhs = w["t"] * float(f(w["x"])) + (1 - w["t"]) * float(f(w["y"]))
        assert lhs - rhs == pytest.approx(r.violation) and lhs > rhs
    else:
        assert w["min_eigenvalue"] < 0


@pytest.mark.parametrize(
    ("f", "domain"),
    [
        (lambda x: mnp.logsumexp(x), (-3 * np.ones(4), 3 * np.ones(4))),
        (lambda x: x @ np.array([[2.0, 1.0], [1.0, 1.0]]) @ x, BOX2),
        (lambda x: x @ np.array([[1.0, 1.0], [1.0, 1.0]]) @ x, BOX2),  # PSD, singular
        (lambda x: mnp.sqrt(mnp.sum(x**2)), BOX2),
        (lambda x: mnp.sum(mnp.abs(x)), BOX2),
        (lambda x: mnp.max(mnp.abs(x)), BOX2),
        (mnp.exp, (-3.0, 3.0)),
    ],
    ids=["logsumexp", "quadratic", "psd-singular", "l2-norm", "l1-norm", "linf-norm", "exp"],
)
def test_convex_functions_have_no_witness(f, domain):
    r = is_convex(f, domain, n_samples=300, rng=1)
    assert r.verdict is True and r.witness is None and r.violation == 0.0
    assert r.n_jensen == 300 and r.n_hessian == 20
    assert isinstance(r, ConvexityResult)


def test_hessian_check_finds_a_thin_nonconvex_region():
    # convex except on |x| < 0.05, where f'' = 12x^2 - 0.03 < 0; chords from far away miss it
    f = lambda x: x**4 - 0.015 * x**2  # noqa: E731
    r = is_convex(f, lambda rng, n: rng.uniform(-0.1, 0.1, n), n_samples=5, rng=2, n_hessian=50)
    assert r.verdict is False
    assert r.witness["kind"] in {"hessian", "jensen"}
    if r.witness["kind"] == "hessian":
        x = r.witness["x"]
        assert 12 * x**2 - 0.03 == pytest.approx(r.witness["min_eigenvalue"], rel=1e-10)


def test_plain_numpy_functions_use_jensen_only():
    r = is_convex(lambda x: np.sum(np.square(x)), BOX2, rng=0)
    assert r.verdict and r.n_hessian == 0
    r = is_convex(lambda x: np.cos(x[0]), BOX2, rng=0)
    assert not r.verdict and r.witness["kind"] == "jensen"


def test_custom_sampler_and_reproducibility():
    def simplex(rng, n):
        return rng.dirichlet(np.ones(3), n)

    negent = lambda p: mnp.sum(p * mnp.log(p))  # noqa: E731
    r1 = is_convex(negent, simplex, rng=5)
    assert r1.verdict
    a = is_convex(mnp.sin, (-5.0, 5.0), rng=9)
    b = is_convex(mnp.sin, (-5.0, 5.0), rng=9)
    assert a.violation == b.violation
    np.testing.assert_array_equal(a.witness["x"], b.witness["x"])


def test_errors():
    with pytest.raises(ValueError, match="low < high"):
        is_convex(mnp.sin, (1.0, 0.0))
    with pytest.raises(ValueError, match="finite points"):
        is_convex(mnp.sin, lambda rng, n: np.zeros(n + 1))
    with pytest.raises(ValueError, match="scalar"):
        is_convex(lambda x: x, BOX2)
    with pytest.raises(ValueError, match="not finite"):
        is_convex(lambda x: mnp.log(x), (-1.0, 1.0), rng=0)
    with pytest.raises(TypeError, match="domain_sampler"):
        is_convex(mnp.sin, "box")
    with pytest.raises(ValueError, match="n_samples"):
        is_convex(mnp.sin, (0.0, 1.0), n_samples=0)
