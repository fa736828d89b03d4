"""Chapter 3: calculus: derivatives by automatic differentiation, series and integrals."""

import math

import numpy as np
import scipy.special as special

from m4ml import autodiff as ad
from m4ml import calculus
from m4ml import numpy as mnp
from m4ml.report.chapters._common import guarded
from m4ml.report.figures import new_figure, to_figure
from m4ml.report.model import Check, agree

TITLE = "Calculus"
INTRO = (
    "Reverse-mode automatic differentiation gives exact gradients of code written with "
    "m4ml.numpy; finite differences and quadrature approximate what the closed forms give "
    "exactly."
)


def _loss(w, X, y):
    """Mean logistic loss of a linear model: a function every classifier differentiates."""
    z = X @ w
    return mnp.mean(mnp.log1p(mnp.exp(-y * z)))


def _gradient(section, ctx):
    section.text = (
        "The gradient of the logistic loss on the penguins' bill measurements "
        "(Adelie vs Gentoo), by reverse mode, beside the closed form and central "
        "differences; the finite-difference error is truncation (∝ h²) for large h "
        "and rounding (∝ ε/h) for small h."
    )
    section.formulas = [
        r"\nabla_w \frac1n \sum_i \log(1 + e^{-y_i x_i^{\top} w}) = "
        r"-\frac1n \sum_i \frac{y_i x_i}{1 + e^{y_i x_i^{\top} w}}",
        r"\partial_j f(w) \approx \frac{f(w + h e_j) - f(w - h e_j)}{2h}",
    ]
    from m4ml.datasets import load_penguins

    df = load_penguins(as_frame=False)
    keep = np.isin(df["species"], ["Adelie", "Gentoo"]) & ~np.isnan(df["bill_length_mm"])
    X = np.column_stack(
        [np.ones(keep.sum()), df["bill_length_mm"][keep] / 50, df["bill_depth_mm"][keep] / 20]
    )
    y = np.where(df["species"][keep] == "Gentoo", 1.0, -1.0)
    w = np.array([0.3, -0.2, 0.1])
    g = ad.grad(_loss)(w, X, y)
    closed = -(X * (y / (1 + np.exp(y * (X @ w))))[:, None]).mean(axis=0)
    section.checks.append(
        Check(
            "grad(loss)(w), reverse mode",
            g,
            "closed form",
            closed,
            agree(g, closed, rtol=1e-12),
            "rtol 1e-12",
        )
    )
    fd = calculus.gradient_fd(lambda v: float(_loss(v, X, y)), w)
    section.checks.append(
        Check(
            "grad(loss)(w), reverse mode",
            g,
            "gradient_fd (central)",
            fd,
            agree(g, fd, rtol=1e-6),
            "rtol 1e-6",
        )
    )
    f = lambda v: float(_loss(v, X, y))  # noqa: E731
    hs = np.logspace(-13, -1, 25 if not ctx.quick else 13)
    errs = []
    for h in hs:
        e = np.eye(3)
        est = np.array([(f(w + h * e[j]) - f(w - h * e[j])) / (2 * h) for j in range(3)])
        errs.append(np.max(np.abs(est - g)) + 1e-18)
    fig, ax = new_figure()
    ax.loglog(hs, errs, "o-", ms=3)
    ax.set_xlabel("step h")
    ax.set_ylabel("max |central difference - autodiff|")
    ax.set_title("rounding (left) vs truncation (right)")
    section.figures.append(to_figure(fig, "Finite-difference error versus step size"))


def _taylor(section, ctx):
    section.text = (
        "Taylor-mode differentiation gives every coefficient of the series of "
        "f(x) = sin(x)·eˣ at x₀ = 0.5 in one pass; the error of the truncated series "
        "at x₀ + t falls like t^(K+1)."
    )
    section.formulas = [
        r"f(x_0 + t) = \sum_{k=0}^{K} c_k t^k + O(t^{K+1}), \quad "
        r"c_k = \frac{f^{(k)}(x_0)}{k!}"
    ]

    def f(x):
        return mnp.sin(x) * mnp.exp(x)

    x0, K = 0.5, 10
    c = np.asarray(ad.taylor(f, np.array(x0), np.array(1.0), K)).ravel()
    # closed form: sin(x) e^x = Im e^{(1+i)x}, so f^(k)(x0) = Im((1+i)^k e^{(1+i)x0})
    exact = np.array(
        [((1 + 1j) ** k * np.exp((1 + 1j) * x0)).imag / math.factorial(k) for k in range(K + 1)]
    )
    section.checks.append(
        Check(
            "taylor coefficients c₀..c₄",
            c[:5],
            "Im((1+i)ᵏ e^{(1+i)x₀})/k!",
            exact[:5],
            agree(c, exact, rtol=1e-10, atol=1e-16),
            "all 11, rtol 1e-10",
        )
    )
    t = 0.8
    true = np.sin(x0 + t) * np.exp(x0 + t)
    errors = [abs(true - np.polyval(c[: k + 1][::-1], t)) + 1e-17 for k in range(K + 1)]
    fig, ax = new_figure()
    ax.semilogy(range(K + 1), errors, "o-", ms=4)
    ax.set_xlabel("order K")
    ax.set_ylabel(f"|f(x₀+t) - T_K|, t = {t}")
    section.figures.append(to_figure(fig, "Taylor approximation error versus order"))
    section.checks.append(
        Check(
            "error of T₁₀ at t = 0.8",
            errors[-1],
            "bounded by the next term",
            f"< {2 * abs(exact[-1]) * t**11 + 1e-15:.3g}",
            errors[-1] < 2 * np.abs(exact).max() * t**11 + 1e-15,
        )
    )


def _integral(section, ctx):
    section.text = (
        "Adaptive Gauss–Kronrod quadrature against closed forms: the Gaussian "
        "integral on [0, 1] through erf, and the Beta function."
    )
    section.formulas = [
        r"\int_0^1 e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}\operatorname{erf}(1)",
        r"\int_0^1 x^{a-1}(1-x)^{b-1}\,dx = B(a, b)",
    ]
    val = calculus.quad(lambda x: np.exp(-(x**2)), 0.0, 1.0)[0]
    ref = np.sqrt(np.pi) / 2 * special.erf(1.0)
    section.checks.append(
        Check(
            "quad(exp(-x²), 0, 1)",
            val,
            "√π/2 · erf(1)",
            ref,
            agree(val, ref, rtol=1e-12),
            "rtol 1e-12",
        )
    )
    val = calculus.quad(lambda x: x**1.5 * (1 - x) ** 2.25, 0.0, 1.0)[0]
    ref = special.beta(2.5, 3.25)
    section.checks.append(
        Check(
            "quad(x^1.5 (1-x)^2.25, 0, 1)",
            val,
            "B(2.5, 3.25)",
            ref,
            agree(val, ref, rtol=1e-10),
            "rtol 1e-10",
        )
    )
    H = ad.hessian(lambda v: mnp.sum(v**3) + v[0] * v[1])(np.array([1.0, 2.0]))
    section.checks.append(
        Check(
            "hessian of Σv³ + v₀v₁ at (1, 2)",
            H,
            "closed form",
            np.array([[6.0, 1.0], [1.0, 12.0]]),
            agree(H, [[6.0, 1.0], [1.0, 12.0]], rtol=1e-12),
        )
    )


SECTIONS = [
    ("Gradients: reverse mode vs finite differences", "gradient-fd", _gradient),
    ("Taylor series: error versus order", "taylor", _taylor),
    ("Integrals against closed forms", "integrals", _integral),
]


def build(ctx):
    """The chapter's sections, each guarded."""
    return [guarded(title, anchor, fn, ctx) for title, anchor, fn in SECTIONS]
