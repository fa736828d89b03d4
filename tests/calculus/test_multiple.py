"""dblquad, tplquad and nquad against scipy.integrate and closed forms."""

import math

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.special import erf

from m4ml.calculus.multiple import dblquad, nquad, tplquad

inf = np.inf

DOUBLE = [  # (name, f(y, x), a, b, g, h)
    ("xy on triangle", lambda y, x: x * y, 0, 1, 0, lambda x: x),
    (
        "disk area",
        lambda y, x: 1.0,
        -1,
        1,
        lambda x: -np.sqrt(1 - x * x),
        lambda x: np.sqrt(1 - x * x),
    ),
    ("gaussian 2d", lambda y, x: np.exp(-(x * x + y * y) / 2), -inf, inf, -inf, inf),
    ("exp(-xy) 0..inf x 1..inf", lambda y, x: np.exp(-x * y) / x**3, 1, inf, 0, inf),
    ("sin(x+y) box", lambda y, x: np.sin(x + y), 0, np.pi, 0, 1),
    ("1/sqrt(x y)", lambda y, x: 1 / np.sqrt(x * y), 0, 1, 0, 1),
    ("log(x+y)", lambda y, x: np.log(x + y), 0, 1, 0, 1),
]


@pytest.mark.parametrize(("name", "f", "a", "b", "g", "h"), DOUBLE, ids=[c[0] for c in DOUBLE])
def test_dblquad_matches_scipy(name, f, a, b, g, h):
    value, err = dblquad(f, a, b, g, h)
    ref, _ = si.dblquad(f, a, b, g, h, epsabs=1e-12, epsrel=1e-12)
    tol = max(1.49e-8, 1.49e-8 * abs(ref))
    assert err <= tol
    assert abs(value - ref) <= err + tol  # outer estimate plus the inner tolerance


def test_gaussian_2d_closed_form():
    value, _ = dblquad(lambda y, x: np.exp(-(x * x + y * y) / 2), -inf, inf, -inf, inf)
    assert value == pytest.approx(2 * np.pi, rel=1e-10)


@pytest.mark.parametrize(
    ("name", "f", "limits", "exact"),
    [
        (
            "simplex",
            lambda z, y, x: 1.0,
            (0, 1, 0, lambda x: 1 - x, 0, lambda x, y: 1 - x - y),
            1 / 6,
        ),
        (
            "xyz on box",
            lambda z, y, x: x * y * z,
            (0, 1, 0, 2, 0, 3),
            4.5,
        ),
        (
            "gaussian 3d on a box",
            lambda z, y, x: np.exp(-(x * x + y * y + z * z) / 2),
            (-2, 2, -2, 2, -2, 2),
            (np.sqrt(2 * np.pi) * erf(np.sqrt(2))) ** 3,
        ),
        (
            "ball volume",
            lambda z, y, x: 1.0,
            (
                -1,
                1,
                lambda x: -math.sqrt(1 - x * x),
                lambda x: math.sqrt(1 - x * x),
                lambda x, y: -math.sqrt(max(1 - x * x - y * y, 0.0)),
                lambda x, y: math.sqrt(max(1 - x * x - y * y, 0.0)),
            ),
            4 * np.pi / 3,
        ),
    ],
)
def test_tplquad_matches_scipy_and_closed_form(name, f, limits, exact):
    opts = {"epsabs": 1e-7, "epsrel": 1e-7}
    value, _ = tplquad(f, *limits, **opts)
    ref, _ = si.tplquad(f, *limits, **opts)
    assert value == pytest.approx(exact, rel=1e-6)
    assert value == pytest.approx(ref, rel=1e-6)


def test_nquad_callable_ranges_args_and_opts():
    # int_0^1 int_0^x int_0^(x+y) c * x y z dz dy dx with c passed through args
    def f(z, y, x, c):
        return c * x * y * z

    ranges = [lambda y, x, c: (0, x + y), lambda x, c: (0, x), [0, 1]]
    value, _, info = nquad(f, ranges, args=(2.0,), opts={"epsrel": 1e-10}, full_output=True)
    ref, _ = si.nquad(f, ranges, args=(2.0,), opts={"epsrel": 1e-10})
    assert value == pytest.approx(ref, rel=1e-9)
    assert info["neval"] > 0
    one, _ = nquad(lambda x: np.exp(x), [[0, 1]], opts=[{"epsabs": 1e-12}])
    assert one == pytest.approx(np.e - 1, abs=1e-12)


def test_nquad_points_option_and_scalar_only_func():
    value, _ = nquad(
        lambda x, y: (1.0 if x < 0.3 else 0.0) * y,
        [[0, 1], [0, 2]],
        opts=[{"points": [0.3]}, {}],
    )
    assert value == pytest.approx(0.3 * 2.0, abs=1e-12)


def test_bad_input():
    with pytest.raises(TypeError, match="callable"):
        nquad(1.0, [[0, 1]])
    with pytest.raises(ValueError, match="at least one"):
        nquad(lambda x: x, [])
    with pytest.raises(ValueError, match=r"ranges\[0\]"):
        nquad(lambda x: x, [[0, 1, 2]])
    with pytest.raises(ValueError, match="unknown quad options"):
        nquad(lambda x: x, [[0, 1]], opts={"tol": 1})
    with pytest.raises(ValueError, match="sequence of 2"):
        nquad(lambda x, y: x, [[0, 1], [0, 1]], opts=[{}])
    with pytest.raises(TypeError, match="gfun"):
        dblquad(lambda y, x: x, 0, 1, "zero", 1)


def test_gaussian_4d_box_closed_form():
    def f(a, b, c, d):
        return np.exp(-0.5 * (a * a + b * b + c * c + d * d))

    value, _ = nquad(f, [[-2, 2]] * 4, opts={"epsabs": 1e-6, "epsrel": 1e-6})
    exact = (np.sqrt(2 * np.pi) * erf(np.sqrt(2))) ** 4
    assert value == pytest.approx(exact, rel=1e-8)


@pytest.mark.filterwarnings("error::m4ml.calculus.warnings.IntegrationWarning")
@settings(max_examples=25, deadline=None)
@example(cp=[7.220199198735578e-62], cq=[9.079689395561191e-243], a=0.0, width=1.0)  # roundoff
@given(
    st.lists(st.floats(-2, 2), min_size=1, max_size=4),
    st.lists(st.floats(-2, 2), min_size=1, max_size=4),
    st.floats(-1, 1),
    st.floats(0.1, 2),
)
def test_separable_integrands_factor(cp, cq, a, width):
    # int_a^b int_a^b p(x) q(y) dy dx = (int p)(int q), and nquad agrees with dblquad
    p, q = np.polynomial.Polynomial(cp), np.polynomial.Polynomial(cq)
    b = a + width
    exact = (p.integ()(b) - p.integ()(a)) * (q.integ()(b) - q.integ()(a))
    value, _ = dblquad(lambda y, x: p(x) * q(y), a, b, a, b)
    scale = 1 + np.abs(cp).sum() * np.abs(cq).sum()
    assert value == pytest.approx(exact, abs=1e-10 * scale)
    again, _ = nquad(lambda y, x: p(x) * q(y), [[a, b], [a, b]])
    assert again == pytest.approx(value, abs=1e-12 * scale)


def test_nquad_callable_opts_receive_outer_variables():
    seen = []

    def opts(x, c):  # the options of the inner level, given the outer variable and args
        seen.append((x, c))
        return {"points": [x / 2], "epsrel": 1e-10}

    def f(y, x, c):
        return c * np.abs(y - x / 2)

    value, _ = nquad(f, [lambda x, c: (0, x), [0, 1]], args=(3.0,), opts=[opts, {}])
    assert value == pytest.approx(3.0 / 12.0, rel=1e-10)  # int_0^1 x^2 / 4 dx = 1/12
    assert seen and all(c == 3.0 for _, c in seen)
