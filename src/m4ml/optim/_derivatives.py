"""Objective wrapper: function values, gradients and Hessians with evaluation counters.

The gradient comes, in order of preference, from

1. ``jac`` as a callable ``jac(x, *args) -> g``, or ``jac=True`` meaning that ``fun`` returns
   the pair ``(f, g)``;
2. :mod:`m4ml.autodiff` (``value_and_grad``), when it is importable and can trace ``fun``;
3. finite differences (:func:`m4ml.calculus.jacobian_fd`: central differences with one
   Richardson step, error :math:`O(h^4)`, :math:`4n` evaluations of ``fun`` per gradient;
   forward differences, :math:`2n + 1`). ``jac="2-point"`` / ``"3-point"`` ask for them
   explicitly; when ``jac`` is None and autodiff cannot trace ``fun`` (it calls plain NumPy
   functions such as ``np.sin`` on the traced input, for instance) a
   :class:`FiniteDifferenceWarning` says so once, with the reason.

The Hessian similarly comes from ``hess`` / ``hessp`` callables, autodiff's ``hessian``, or
central differences of the gradient (symmetrized).
"""

import warnings

import numpy as np

from m4ml._core import as_float_array
from m4ml.autodiff import hessian, value_and_grad
from m4ml.calculus.differentiation import jacobian_fd

__all__ = ["FiniteDifferenceWarning", "Objective", "fd_jacobian", "warn_fallback"]


class FiniteDifferenceWarning(UserWarning):
    """Derivatives are taken by finite differences because autodiff could not trace ``fun``.

    Finite differences cost several evaluations of ``fun`` per derivative and are accurate to
    about :math:`10^{-10}`; write ``fun`` with :mod:`m4ml.numpy` (or pass ``jac``) for exact
    derivatives at the cost of one evaluation.
    """

    __module__ = "m4ml.optim"  # its public home (tracebacks, reprs, docs, pickle)


def warn_fallback(exc, what="fun", stacklevel=4):
    """Warn once that autodiff failed on ``what`` (``exc`` says why) and differences are used."""
    reason = f"{type(exc).__name__}: {exc}"
    if len(reason) > 200:
        reason = reason[:197] + "..."
    warnings.warn(
        f"m4ml.autodiff could not differentiate {what} ({reason}); using finite differences, "
        "which cost several evaluations per derivative. Write it with m4ml.numpy "
        "(import m4ml.numpy as np) or pass jac.",
        FiniteDifferenceWarning,
        stacklevel=stacklevel,
    )


def fd_jacobian(f, x, method="central"):
    """:func:`m4ml.calculus.jacobian_fd` with NaN/inf values near ``x`` reported as None."""
    try:
        return jacobian_fd(f, x, method=method)
    except ValueError:  # f is not finite at some step: the caller treats x as a bad point
        return None


class Objective:
    """``fun`` with its derivatives, counting evaluations (``nfev``, ``njev``, ``nhev``)."""

    def __init__(self, fun, x0, args=(), jac=None, hess=None, hessp=None, derivatives=True):
        if not callable(fun):
            raise TypeError(f"fun must be callable, got {type(fun).__name__}")
        self._fun, self.args = fun, tuple(args)
        self.nfev = self.njev = self.nhev = 0
        self._jac, self._hess, self._hessp = jac, hess, hessp
        self._ad = None
        for name, h in (("hess", hess), ("hessp", hessp)):
            if h is not None and not callable(h):
                raise TypeError(f"{name} must be callable or None, got {type(h).__name__}")
        if not derivatives:  # a derivative-free method: values only, no autodiff probe
            self.mode = "fused" if jac is True else "values"
        elif jac is True:
            self.mode = "fused"
        elif callable(jac):
            self.mode = "jac"
        elif jac in ("2-point", "3-point"):
            self.mode = "fd-forward" if jac == "2-point" else "fd-central"
        elif jac is None or jac is False:
            self.mode = self._try_autodiff(x0)
        else:
            raise ValueError(
                "jac must be a callable, True (fun returns (f, g)), '2-point', '3-point' or "
                f"None, got {jac!r}"
            )

    def _try_autodiff(self, x0):
        vg, hs = value_and_grad, hessian
        try:
            self.nfev += 1  # the probe is a real evaluation: count it
            self.njev += 1
            _, g = vg(lambda x: self._fun(x, *self.args))(x0)
            np.asarray(g, dtype=float).reshape(x0.shape)
        except Exception as exc:  # fun uses operations the tracer cannot follow
            warn_fallback(exc, stacklevel=5)
            return "fd-central"
        self._ad = (vg(lambda x: self._fun(x, *self.args)), hs(lambda x: self._fun(x, *self.args)))
        return "autodiff"

    def _scalar(self, v):
        v = np.asarray(v, dtype=float)
        if v.size != 1:
            raise ValueError(f"fun must return a scalar, got an array of shape {v.shape}")
        return float(v.reshape(()))

    def fun(self, x):
        """:math:`f(x)`; NaN or inf is returned as ``inf`` (a line search then backtracks)."""
        self.nfev += 1
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = self._fun(x, *self.args)
        f = self._scalar(out[0] if self.mode == "fused" else out)
        return f if np.isfinite(f) else np.inf

    def _grad_array(self, g, n):
        g = np.asarray(g, dtype=float).reshape(-1)
        if g.size != n:
            raise ValueError(f"the gradient has {g.size} entries, expected {n}")
        return g

    def fun_and_grad(self, x):
        """Return ``(f(x), grad f(x))``; a non-finite ``f`` is returned as ``inf``.

        Floating-point warnings inside ``fun`` are silenced: overflow or NaN at a trial point
        is handled by the caller (the step is shortened), not reported as a warning.
        """
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._fun_and_grad(x)

    def _fun_and_grad(self, x):
        n = x.size
        if self.mode == "fused":
            self.nfev += 1
            self.njev += 1
            f, g = self._fun(x, *self.args)
            f, g = self._scalar(f), self._grad_array(g, n)
        elif self.mode == "jac":
            self.nfev += 1
            self.njev += 1
            f = self._scalar(self._fun(x, *self.args))
            g = self._grad_array(self._jac(x, *self.args), n)
        elif self.mode == "autodiff":
            self.nfev += 1
            self.njev += 1
            f, g = self._ad[0](x)
            f, g = self._scalar(f), self._grad_array(g, n)
        else:
            f = self.fun(x)
            if not np.isfinite(f):
                return np.inf, np.zeros(n)
            method = "forward" if self.mode == "fd-forward" else "central"
            before = self.nfev
            g = fd_jacobian(lambda z: self._scalar(self._fun(z, *self.args)), x, method)
            self.nfev = before + (2 * n + 1 if method == "forward" else 4 * n)
            self.njev += 1
            if g is None:  # f is not finite at a difference step: treat x as a bad point
                return np.inf, np.zeros(n)
            return f, self._grad_array(g, n)
        if not (np.isfinite(f) and np.isfinite(g).all()):
            return np.inf, g
        return f, g

    def grad(self, x):
        return self.fun_and_grad(x)[1]

    def hess(self, x):
        """The Hessian matrix at ``x`` (user callable, autodiff, or differences of the gradient)."""
        n = x.size
        self.nhev += 1
        if self._hess is not None:
            H = np.asarray(self._hess(x, *self.args), dtype=float)
            if H.shape != (n, n):
                raise ValueError(f"hess must return an ({n}, {n}) matrix, got shape {H.shape}")
            return H
        if self.mode == "autodiff":
            return np.asarray(self._ad[1](x), dtype=float).reshape(n, n)
        H = fd_jacobian(self.grad, x)
        if H is None:
            raise ValueError("the gradient is not finite near x: cannot difference it")
        H = np.asarray(H, dtype=float).reshape(n, n)
        return 0.5 * (H + H.T)

    def has_hessp(self, n=0):
        """Whether products are available without the matrix: the user's ``hessp``, or
        autodiff's forward-over-reverse ``hvp`` (preferred to the matrix for ``n > 50``)."""
        if self._hessp is not None:
            return True
        return self._hess is None and self.mode == "autodiff" and n > 50

    def hessp(self, x, p):
        """The Hessian-vector product :math:`\\nabla^2 f(x) p` (user ``hessp`` or autodiff)."""
        self.nhev += 1
        if self._hessp is None:
            from m4ml.autodiff import hvp

            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                out = hvp(lambda z: self._fun(z, *self.args), x, p)
            return np.asarray(out, dtype=float).reshape(-1)
        return as_float_array(self._hessp(x, p, *self.args), "hessp(x, p)").reshape(-1)
