r"""Base classes shared by every distribution of :mod:`m4ml.probability`.

A distribution object is *frozen*: its parameters are fixed at construction, validated there
(the error names the parameter), stored as float64 arrays, and broadcast against the points
each method is called on, as with ``scipy.stats``' frozen distributions. The base classes give

* argument checks: points ``x`` may be any real array (``±inf`` included) but not NaN;
  probabilities ``q`` must lie in :math:`[0, 1]`;
* ``sample(size=None, rng=None)`` and its scipy-compatible alias ``rvs(size, random_state)``;
* ``std`` from ``var``, ``median`` from ``ppf(0.5)``, ``interval(confidence)`` from ``ppf`` and
  ``isf`` (each tail computed in the tail, so narrow tails keep their digits);
* default ``pdf = exp(logpdf)`` (``pmf = exp(logpmf)``) and ``logcdf``/``logsf`` computed from
  whichever of ``cdf``/``sf`` is the small one, so no digits are lost to ``1 - p``;
* for discrete distributions, ``ppf``/``isf`` by a vectorized bisection over the integers on
  ``cdf``/``sf`` (the smallest :math:`k` with :math:`F(k) \ge q`);
* ``__repr__`` showing the constructor's arguments.

Subclasses implement ``logpdf``/``logpmf``, ``cdf``, ``sf``, the moments and ``entropy``, and
``_sample(shape, rng)``.
"""

import numpy as np

from m4ml._core import as_float_array, check_rng, scalar_or_array
from m4ml._core.hints import ArrayLike, FloatArray, Seed

__all__ = [
    "SUM_TOL",
    "ContinuousDistribution",
    "DiscreteDistribution",
    "Distribution",
]


# --------------------------------------------------------------------------- validation
def as_param(value, name, *, low=None, high=None, low_open=False, high_open=False):
    """Return parameter ``value`` as a float64 array, checking finiteness and its bounds.

    ``low``/``high`` are inclusive bounds unless ``low_open``/``high_open``; the ValueError
    names the parameter and the bound it violates.
    """
    arr = as_float_array(value, name)
    if arr.size == 0:
        raise ValueError(f"{name} is empty; a distribution needs at least one parameter value")
    if low is not None:
        bad = arr <= low if low_open else arr < low
        if np.any(bad):
            op = ">" if low_open else ">="
            raise ValueError(f"{name} must be {op} {low:g}, got {arr[bad].ravel()[0]!r}")
    if high is not None:
        bad = arr >= high if high_open else arr > high
        if np.any(bad):
            op = "<" if high_open else "<="
            raise ValueError(f"{name} must be {op} {high:g}, got {arr[bad].ravel()[0]!r}")
    return arr


def as_count_param(value, name):
    """Return a non-negative integer parameter (e.g. a number of trials) as a float64 array."""
    arr = as_param(value, name, low=0)
    if np.any(arr != np.floor(arr)):
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return arr


def as_points(x, name="x"):
    """Points at which to evaluate a density or cdf: real, ``±inf`` allowed, NaN rejected."""
    arr = as_float_array(x, name, finite=False)
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN; remove or impute it first")
    return arr


SUM_TOL = 1e-8  # how far a float64 probability vector's sum may stray from 1


def sum_tolerance(p, tol=SUM_TOL):
    """How far the sum of the probabilities ``p`` may stray from 1, for ``p``'s own precision.

    ``tol`` (1e-8) for float64 input; for a lower precision (float32, float16) the rounding of
    the entries themselves, :math:`4 n \varepsilon` for ``n`` entries, where that is larger.
    """
    dtype = getattr(p, "dtype", None)
    if dtype is None or dtype.kind != "f" or dtype == np.float64:
        return tol
    return max(tol, 4.0 * np.size(p) * float(np.finfo(dtype).eps))


def as_probabilities(q, name="q"):
    """Probabilities for ``ppf``/``isf``: reals in [0, 1], NaN rejected."""
    arr = as_float_array(q, name, finite=False)
    if not ((arr >= 0.0) & (arr <= 1.0)).all():
        raise ValueError(f"{name} must hold probabilities in [0, 1] (no NaN)")
    return arr


def as_sample(data, name="data", *, min_size=1):
    """A 1-D sample for ``fit``: finite reals, at least ``min_size`` of them."""
    arr = as_float_array(data, name, min_ndim=1, max_ndim=1)
    if arr.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} observation(s), got {arr.size}")
    return arr


# --------------------------------------------------------------------------- base classes
class Distribution:
    """Base class of every frozen distribution: repr, sampling, std, interval, rvs.

    Subclasses set ``_param_names``, a tuple of ``(argument, attribute)`` pairs naming the
    constructor's arguments and the attributes that store them (``Normal(mean, std)`` stores
    them as ``loc`` and ``scale`` so that ``mean()`` and ``std()`` stay methods), and implement
    ``_sample(shape, rng)``.
    """

    _param_names = ()

    def __repr__(self):
        parts = []
        for arg, attr in self._param_names:
            value = np.asarray(getattr(self, attr))
            text = repr(float(value)) if value.ndim == 0 else np.array2string(value, separator=", ")
            parts.append(f"{arg}={text}")
        return f"{type(self).__name__}({', '.join(parts)})"

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the broadcast parameters (``()`` for scalar parameters)."""
        shapes = [np.shape(getattr(self, attr)) for _, attr in self._param_names]
        return np.broadcast_shapes(*shapes) if shapes else ()

    def _sample_shape(self, size):
        batch = self.batch_shape
        if size is None:
            return batch
        shape = (int(size),) if np.ndim(size) == 0 else tuple(int(s) for s in size)
        if any(s < 0 for s in shape):
            raise ValueError(f"size must be non-negative, got {size!r}")
        try:
            full = np.broadcast_shapes(shape, batch)
        except ValueError:
            full = None
        if full != shape:
            raise ValueError(
                f"size {shape} does not broadcast with the parameters' shape {batch}; pass a "
                "size whose trailing dimensions match the parameters"
            )
        return shape

    def sample(
        self, size: int | tuple[int, ...] | None = None, rng: Seed = None
    ) -> float | FloatArray:
        """Draw random variates.

        Parameters
        ----------
        size : int or tuple of int, optional
            Output shape; its trailing dimensions must match the parameters' batch shape.
            ``None`` gives one draw per parameter set.
        rng : None, int or numpy.random.Generator
            Source of randomness (see :func:`m4ml._core.check_rng`).

        Returns
        -------
        ndarray or scalar
            The draws.
        """
        shape = self._sample_shape(size)
        if shape == ():  # one draw: NumPy's samplers return Python floats for scalar input
            return np.asarray(self._sample((1,), check_rng(rng)), dtype=np.float64)[0]
        return np.asarray(self._sample(shape, check_rng(rng)), dtype=np.float64)

    def rvs(
        self, size: int | tuple[int, ...] | None = None, random_state: Seed = None
    ) -> float | FloatArray:
        """Alias of :meth:`sample` with scipy's argument name ``random_state``."""
        return self.sample(size, random_state)

    def std(self) -> float | FloatArray:
        """Standard deviation, :math:`\\sqrt{\\operatorname{Var}X}`."""
        return scalar_or_array(np.sqrt(self.var()))

    def median(self) -> float | FloatArray:
        """Median, ``ppf(0.5)``."""
        return self.ppf(0.5)

    def interval(self, confidence: float) -> tuple[float | FloatArray, float | FloatArray]:
        """Equal-tailed interval holding probability ``confidence``: ``(ppf(a), isf(a))``.

        With :math:`a = (1 - \\text{confidence})/2`; the upper end comes from ``isf`` so a
        narrow upper tail keeps its precision.
        """
        c = as_probabilities(confidence, "confidence")
        alpha = (1.0 - c) / 2.0
        return self.ppf(alpha), self.isf(alpha)

    def _logcdf_from(self, x):
        cdf, sf = np.asarray(self.cdf(x)), np.asarray(self.sf(x))
        with np.errstate(divide="ignore"):
            return scalar_or_array(np.where(cdf < 0.5, np.log(cdf), np.log1p(-sf)))

    def _logsf_from(self, x):
        cdf, sf = np.asarray(self.cdf(x)), np.asarray(self.sf(x))
        with np.errstate(divide="ignore"):
            return scalar_or_array(np.where(sf < 0.5, np.log(sf), np.log1p(-cdf)))

    def logcdf(self, x: ArrayLike) -> float | FloatArray:
        """Log of the cdf, accurate where the cdf is tiny (far left tail)."""
        return self._logcdf_from(x)

    def logsf(self, x: ArrayLike) -> float | FloatArray:
        """Log of the survival function, accurate where it is tiny (far right tail)."""
        return self._logsf_from(x)


class ContinuousDistribution(Distribution):
    """Base of the continuous distributions: ``pdf`` from ``logpdf``."""

    def pdf(self, x: ArrayLike) -> float | FloatArray:
        """Probability density, ``exp(logpdf(x))``."""
        return scalar_or_array(np.exp(self.logpdf(x)))


class DiscreteDistribution(Distribution):
    """Base of the discrete distributions on the integers.

    ``pmf`` comes from ``logpmf``; ``ppf`` and ``isf`` from a bisection over the integers on
    ``cdf``/``sf``, bracketed by ``_ppf_bracket(q)`` (subclasses with a closed-form quantile
    override them). As in scipy, ``ppf(0)`` is one below the smallest support point.
    """

    def pmf(self, k: ArrayLike) -> float | FloatArray:
        """Probability mass, ``exp(logpmf(k))``; 0 off the support and at non-integers."""
        return scalar_or_array(np.exp(self.logpmf(k)))

    def _lower(self):
        return np.broadcast_to(np.asarray(self.support()[0], dtype=float), self.batch_shape)

    def _upper(self):
        return np.broadcast_to(np.asarray(self.support()[1], dtype=float), self.batch_shape)

    def _ppf_bracket(self, q):
        """Return ``(lo, hi)`` integers with the answer in ``[lo, hi]`` (hi may grow)."""
        lo = self._lower()
        return lo, lo + 1.0

    def _integer_search(self, q, pred):
        """Smallest integer ``k >= lo`` with ``pred(k, q)`` true (``pred`` monotone in k)."""
        lo, hi = self._ppf_bracket(q)
        lo, hi, q = np.broadcast_arrays(lo, hi, q)
        lo, hi, q = lo.astype(float), hi.astype(float), q.astype(float)
        upper = np.broadcast_to(np.asarray(self.support()[1], dtype=float), q.shape)
        hi = np.minimum(hi, upper)
        for _ in range(1100):  # grow hi geometrically until pred(hi) holds
            need = ~pred(hi, q) & (hi < upper)
            if not need.any():
                break
            step = np.maximum(hi - lo, 1.0)
            hi = np.where(need, np.minimum(hi + 2.0 * step, upper), hi)
        while True:
            active = hi > lo
            if not active.any():
                return lo
            mid = np.floor((lo + hi) / 2.0)
            ok = pred(mid, q)
            hi = np.where(active & ok, mid, hi)
            lo = np.where(active & ~ok, mid + 1.0, lo)

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile: the smallest support point :math:`k` with :math:`F(k) \\ge q`.

        ``ppf(0)`` is one below the support and ``ppf(1)`` its upper end (``inf`` if
        unbounded), as in scipy.
        """
        q = as_probabilities(q)
        k = self._integer_search(q, lambda k, qq: np.asarray(self.cdf(k)) >= qq)
        k = np.where(q == 1.0, self._upper(), k)  # cdf rounds to 1 before the support ends
        return scalar_or_array(np.where(q == 0.0, self._lower() - 1.0, k))

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function: the smallest :math:`k` with :math:`P(X > k) \\le q`."""
        q = as_probabilities(q)
        k = self._integer_search(q, lambda k, qq: np.asarray(self.sf(k)) <= qq)
        k = np.where(q == 0.0, self._upper(), k)  # sf rounds to 0 before the support ends
        return scalar_or_array(np.where(q == 1.0, self._lower() - 1.0, k))
