r"""Constraint plumbing shared by the constrained solvers (SQP and the augmented Lagrangian).

A problem :math:`\min f(x)` s.t. :math:`c_E(x) = 0`, :math:`c_I(x) \ge 0`,
:math:`\ell \le x \le u` reaches the solvers as a list of :class:`Constraint` objects (one per
scipy-style dict) plus the box. This module stacks their values and Jacobians (box bounds last,
as linear inequalities), measures the KKT residuals and splits the stacked multipliers back
per constraint. It imports no solver, so every solver can import it.
"""

import numpy as np

from m4ml.autodiff import jacobian
from m4ml.calculus.differentiation import jacobian_fd
from m4ml.optim._derivatives import warn_fallback

__all__ = ["Constraint", "evaluate", "kkt_residual", "parse_constraints", "split", "values"]


class Constraint:
    r"""One scipy-style constraint dict: values and Jacobian rows.

    The Jacobian comes from the dict's ``"jac"``, else :mod:`m4ml.autodiff` when it can trace
    ``"fun"``, else central differences (:func:`m4ml.calculus.jacobian_fd`).
    """

    def __init__(self, spec, k, x0):
        if not isinstance(spec, dict) or "type" not in spec or "fun" not in spec:
            raise ValueError(
                f"constraints[{k}] must be a dict with keys 'type' ('eq' or 'ineq') and 'fun'"
            )
        if spec["type"] not in ("eq", "ineq"):
            raise ValueError(
                f"constraints[{k}]['type'] must be 'eq' or 'ineq', got {spec['type']!r}"
            )
        if not callable(spec["fun"]):
            raise TypeError(f"constraints[{k}]['fun'] is not callable")
        self.kind, self.fun, self.jac = spec["type"], spec["fun"], spec.get("jac")
        self.args = tuple(spec.get("args", ()))
        if self.jac is not None and not callable(self.jac):
            raise TypeError(f"constraints[{k}]['jac'] must be callable")
        v = self.value(x0)
        if not np.isfinite(v).all():
            raise ValueError(f"constraints[{k}]['fun'] is not finite at x0")
        self.size = v.size
        self._ad = None
        if self.jac is None:
            try:
                ad = jacobian(lambda x: self.fun(x, *self.args))
                np.asarray(ad(x0), dtype=float).reshape(self.size, x0.size)
                self._ad = ad
            except Exception as exc:  # not traceable: finite differences, with a warning
                warn_fallback(exc, what=f"constraints[{k}]['fun']", stacklevel=6)

    def value(self, x):
        """:math:`c(x)` as a 1-D array."""
        return np.asarray(self.fun(x, *self.args), dtype=float).reshape(-1)

    def jacobian(self, x):
        """:math:`\\partial c / \\partial x`, shape ``(size, n)``."""
        n = x.size
        if self.jac is not None:
            return np.asarray(self.jac(x, *self.args), dtype=float).reshape(self.size, n)
        if self._ad is not None:
            return np.asarray(self._ad(x), dtype=float).reshape(self.size, n)
        return np.asarray(jacobian_fd(self.value, x), dtype=float).reshape(self.size, n)


def parse_constraints(constraints, x0):
    """A dict or a sequence of dicts -> a list of :class:`Constraint` (validated at ``x0``)."""
    if isinstance(constraints, dict):
        constraints = [constraints]
    return [Constraint(c, k, x0) for k, c in enumerate(constraints or ())]


def evaluate(cons, lo, hi, x):
    """Stacked equality values/Jacobian and inequality (>= 0) values/Jacobian, bounds last."""
    n = x.size
    parts = {"eq": ([np.empty(0)], [np.empty((0, n))]), "ineq": ([np.empty(0)], [np.empty((0, n))])}
    for c in cons:
        parts[c.kind][0].append(c.value(x))
        parts[c.kind][1].append(c.jacobian(x))
    eye = np.eye(n)
    fl, fh = np.isfinite(lo), np.isfinite(hi)
    parts["ineq"][0].extend([x[fl] - lo[fl], hi[fh] - x[fh]])
    parts["ineq"][1].extend([eye[fl], -eye[fh]])
    ce, je = np.concatenate(parts["eq"][0]), np.vstack(parts["eq"][1])
    ci, ji = np.concatenate(parts["ineq"][0]), np.vstack(parts["ineq"][1])
    return ce, je, ci, ji


def values(cons, lo, hi, x):
    """Equality and inequality (>= 0) values only, bounds last (for line searches)."""
    eq = [np.empty(0)] + [c.value(x) for c in cons if c.kind == "eq"]
    fl, fh = np.isfinite(lo), np.isfinite(hi)
    ineq = [np.empty(0)] + [c.value(x) for c in cons if c.kind == "ineq"]
    return np.concatenate(eq), np.concatenate([*ineq, x[fl] - lo[fl], hi[fh] - x[fh]])


def kkt_residual(g, ce, je, ci, ji, lam, mu):
    r"""KKT residuals (stationarity, feasibility, complementarity) at :math:`x, \lambda, \mu`.

    Stationarity :math:`\|\nabla f - J_E^\top\lambda - J_I^\top\mu\|_\infty` relative to
    :math:`\max(1, \|\nabla f\|_\infty)`; feasibility :math:`\max(\|c_E\|_\infty,
    \|\max(0, -c_I)\|_\infty)`; complementarity :math:`\max(\|\mu \circ c_I\|_\infty,
    \|\max(0, -\mu)\|_\infty)`.
    """
    scale = max(1.0, float(np.abs(g).max(initial=0.0)))
    return {
        "stationarity": float(np.abs(g - je.T @ lam - ji.T @ mu).max(initial=0.0)) / scale,
        "feasibility": max(
            float(np.abs(ce).max(initial=0.0)), float(np.maximum(-ci, 0.0).max(initial=0.0))
        ),
        "complementarity": max(
            float(np.abs(mu * ci).max(initial=0.0)), float(np.maximum(-mu, 0.0).max(initial=0.0))
        ),
    }


def split(cons, lam, mu):
    """Per-constraint multiplier arrays in the order given; the rest of mu are the bounds'."""
    out, ie, ii = [], 0, 0
    for c in cons:
        if c.kind == "eq":
            out.append(lam[ie : ie + c.size])
            ie += c.size
        else:
            out.append(mu[ii : ii + c.size])
            ii += c.size
    return out, mu[ii:]
