"""The result object of :func:`m4ml.optim.minimize` and the per-iteration bookkeeping."""

import numpy as np

__all__ = ["OptimizeResult"]


class OptimizeResult(dict):
    """The outcome of a minimization: a dict whose keys are also attributes (as in scipy).

    Attributes
    ----------
    x : ndarray
        The solution found.
    fun : float
        :math:`f(x)`.
    jac : ndarray
        :math:`\\nabla f(x)`.
    nit : int
        Iterations taken.
    nfev, njev, nhev : int
        Evaluations of the function, its gradient and its Hessian (or Hessian-vector products).
    success : bool
        Whether the convergence test was met.
    status : int
        0 converged, 1 iteration limit, 2 line search / trust region could not make progress,
        3 stopped by the callback.
    message : str
        The reason the iteration stopped, in words.
    history : dict
        ``"fun"`` and ``"grad_norm"`` per iterate (the start included), and ``"x"`` (one row
        per iterate) when ``options={"history_x": True}``.

    Examples
    --------
    >>> r = OptimizeResult(x=1.0, fun=2.0)
    >>> r.fun
    2.0
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__
    __delattr__ = dict.__delitem__

    def __dir__(self):
        return list(self.keys())

    def __repr__(self):
        if not self:
            return "OptimizeResult()"
        width = max(len(k) for k in self) + 1
        lines = []
        for k, v in self.items():
            if k == "history":
                v = f"<{len(v.get('fun', ()))} iterates>"
            lines.append(f"{k.rjust(width)}: {v!r}")
        return "\n".join(lines)


STATUS_MESSAGES = {
    0: "Optimization terminated successfully.",
    1: "Maximum number of iterations has been exceeded.",
    2: "The line search could not find a step that decreases f: "
    "desired accuracy not necessarily reached (precision loss).",
    3: "Stopped by the callback.",
}


class Recorder:
    """Collect the history, call the callback and count iterations for one run."""

    def __init__(self, callback=None, keep_x=False):
        self.callback = callback
        self.keep_x = keep_x
        self.fun, self.grad_norm, self.xs = [], [], []
        self.nit = 0

    def record(self, x, f, g_norm):
        """Record an iterate; return True if the callback asks to stop."""
        self.fun.append(float(f))
        self.grad_norm.append(float(g_norm))
        if self.keep_x:
            self.xs.append(np.array(x, dtype=float, copy=True))
        if self.callback is not None and len(self.fun) > 1:
            return self.callback(np.array(x, copy=True)) is True
        return False

    def result(self, x, f, g, obj, status, message=None):
        hist = {"fun": np.array(self.fun), "grad_norm": np.array(self.grad_norm)}
        if self.keep_x:
            hist["x"] = np.array(self.xs)
        return OptimizeResult(
            x=x,
            fun=float(f),
            jac=g,
            nit=self.nit,
            nfev=obj.nfev,
            njev=obj.njev,
            nhev=obj.nhev,
            success=status == 0,
            status=status,
            message=message or STATUS_MESSAGES[status],
            history=hist,
        )
