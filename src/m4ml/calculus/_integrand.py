"""Calling a user integrand on arrays of nodes: vectorization detection, counting, checks."""

import numpy as np


class Integrand:
    """Wrap ``func(x, *args)`` so that it can always be called on a 1-D array of nodes.

    ``vectorized=None`` tries one call on the whole array and falls back, for good, to one call
    per node if that raises or returns the wrong shape (``math.sin``, ``if x > 0`` branches);
    ``True`` and ``False`` force a mode. ``neval`` counts nodes evaluated.
    """

    def __init__(self, func, args=(), vectorized=None, name="func", finite=True):
        if not callable(func):
            raise TypeError(f"{name} must be callable, got {type(func).__name__}")
        if vectorized not in (None, True, False):
            raise ValueError(f"vectorized must be None, True or False, got {vectorized!r}")
        self.func = func
        self.args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
        self.vectorized = vectorized
        self.name = name
        self.neval = 0
        self.finite = finite

    def _scalar_calls(self, x):
        f, args = self.func, self.args
        out = np.empty(x.shape)
        flat = out.reshape(-1)
        for i, xi in enumerate(x.reshape(-1)):
            value = np.asarray(f(float(xi), *args), dtype=float)
            if value.size != 1:
                raise ValueError(
                    f"{self.name} must return a scalar for a scalar input, got shape {value.shape}"
                )
            flat[i] = value.reshape(())
        return out

    def __call__(self, x):
        y = None
        if self.vectorized is not False:
            try:
                y = np.asarray(self.func(x, *self.args), dtype=float)
            except Exception:
                if self.vectorized:
                    raise
                self.vectorized = False
            else:
                if y.shape != x.shape:
                    if self.vectorized:
                        raise ValueError(
                            f"{self.name} was declared vectorized but returned shape {y.shape} "
                            f"for input of shape {x.shape}"
                        )
                    self.vectorized, y = False, None
        if y is None:
            y = self._scalar_calls(x)
        self.neval += x.size
        if self.finite and not np.isfinite(y).all():
            bad = x[~np.isfinite(y)].reshape(-1)[0]
            raise ValueError(
                f"{self.name} returned NaN or infinity at x = {bad!r}; an integrable "
                "singularity must not be evaluated (quadrature nodes are interior to each "
                "interval, so put it at a limit or a breakpoint)"
            )
        return y
