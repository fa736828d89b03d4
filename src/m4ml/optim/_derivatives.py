"""Objective wrapper: function values, gradients and Hessians with evaluation counters.

The gradient comes, in order of preference, from

1. ``jac`` as a callable ``jac(x, *args) -> g``, or ``jac=True`` meaning that ``fun`` returns
   the pair ``(f, g)``;
2. :mod:`m4ml.autodiff` (``value_and_grad``), when it is importable and can trace ``fun``;
3. central finite differences (:func:`m4ml.calculus.differentiation.gradient_fd`), whose
   error is :math:`O(h^2)` with :math:`h \\approx \\epsilon^{1/3}|x|`, and which costs
   :math:`2n` evaluations of ``fun`` per gradient. ``jac="2-point"`` / ``"3-point"`` ask for
   finite differences explicitly.

The Hessian similarly comes from ``hess`` / ``hessp`` callables, autodiff's ``hessian``, or
central differences of the gradient (symmetrized).
"""

import numpy as np

from m4ml._core import as_float_array


def _autodiff():
    try:
        from m4ml.autodiff import hessian, value_and_grad
    except Exception:  # the engine may be unavailable or mid-rewrite: fall back to differences
        return None
    return value_and_grad, hessian


def _fd_gradient(f, x, method):
    n = x.size
    h = np.finfo(float).eps ** (1 / 3 if method == "central" else 1 / 2) * np.maximum(
        1.0, np.abs(x)
    )
    g = np.empty(n)
    fx = f(x) if method == "forward" else None
    for i in range(n):  # one coordinate per evaluation pair: the loop is over evaluations
        e = np.zeros(n)
        e[i] = h[i]
        if method == "forward":
            g[i] = (f(x + e) - fx) / h[i]
        else:
            g[i] = (f(x + e) - f(x - e)) / (2 * h[i])
    return g


class Objective:
    """``fun`` with its derivatives, counting evaluations (``nfev``, ``njev``, ``nhev``)."""

    def __init__(self, fun, x0, args=(), jac=None, hess=None, hessp=None):
        if not callable(fun):
            raise TypeError(f"fun must be callable, got {type(fun).__name__}")
        self._fun, self.args = fun, tuple(args)
        self.nfev = self.njev = self.nhev = 0
        self._jac, self._hess, self._hessp = jac, hess, hessp
        self._ad = None
        for name, h in (("hess", hess), ("hessp", hessp)):
            if h is not None and not callable(h):
                raise TypeError(f"{name} must be callable or None, got {type(h).__name__}")
        if jac is True:
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
        ad = _autodiff()
        if ad is None:
            return "fd-central"
        vg, hs = ad
        try:
            self.nfev += 1  # the probe is a real evaluation: count it
            self.njev += 1
            _, g = vg(lambda x: self._fun(x, *self.args))(x0)
            np.asarray(g, dtype=float).reshape(x0.shape)
        except Exception:  # fun uses operations the tracer cannot follow: use differences
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
            method = "forward" if self.mode == "fd-forward" else "central"
            before = self.nfev
            g = _fd_gradient(lambda z: self._scalar(self._fun(z, *self.args)), x, method)
            self.nfev = before + (n + 1 if method == "forward" else 2 * n)
            self.njev += 1
            return f, g
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
        h = np.finfo(float).eps ** (1 / 3) * np.maximum(1.0, np.abs(x))
        H = np.empty((n, n))
        for i in range(n):  # one gradient pair per column
            e = np.zeros(n)
            e[i] = h[i]
            H[:, i] = (self.grad(x + e) - self.grad(x - e)) / (2 * h[i])
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
