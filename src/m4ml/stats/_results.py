r"""Result objects shared by every hypothesis test and interval of :mod:`m4ml.stats`.

* :class:`ConfidenceInterval` — a named pair ``(low, high)``, as ``scipy.stats`` returns.
* :class:`TestResult` — ``statistic``, ``pvalue``, ``df`` (``None`` where no degrees of
  freedom are defined), ``alternative``, any test-specific extras as attributes, and
  ``confidence_interval(confidence_level=0.95)`` where the test defines one. It unpacks as
  ``statistic, pvalue = result`` (and indexes as ``result[0]``, ``result[1]``), so code written
  for scipy's result tuples keeps working.

Other engineers' tests (resampling, Bayesian) build their results from these two classes.
"""

from collections.abc import Callable
from typing import Any, Literal, NamedTuple

import numpy as np

from m4ml._core.errors import DegenerateDataWarning
from m4ml._core.hints import ArrayLike

__all__ = [
    "ALTERNATIVES",
    "ConfidenceInterval",
    "DegenerateDataWarning",
    "TestResult",
    "check_alternative",
]

ALTERNATIVES = ("two-sided", "less", "greater")


def check_alternative(alternative):
    """Return ``alternative`` if it is one of ``"two-sided"``, ``"less"``, ``"greater"``.

    Raises
    ------
    ValueError
        For anything else, naming the allowed values.
    """
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    return alternative


def check_confidence_level(confidence_level):
    """Return ``confidence_level`` as a float strictly between 0 and 1; ValueError otherwise."""
    try:
        if np.iscomplexobj(confidence_level):  # float() would drop the imaginary part
            raise TypeError
        level = float(confidence_level)
    except (TypeError, ValueError):
        raise TypeError(
            f"confidence_level must be a number in (0, 1), got {confidence_level!r}"
        ) from None
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must lie strictly between 0 and 1, got {level!r}")
    return level


class ConfidenceInterval(NamedTuple):
    """A confidence (or credible) interval ``[low, high]``.

    Attributes
    ----------
    low, high : float or ndarray
        The end points; one-sided intervals use ``-inf``/``inf`` (or the parameter's natural
        bound, such as 0 or 1 for a proportion) for the open side.

    Examples
    --------
    >>> ci = ConfidenceInterval(0.25, 0.75)
    >>> low, high = ci
    >>> print(low, high, ci.high - ci.low)
    0.25 0.75 0.5
    """

    low: float
    high: float


class TestResult:
    r"""The outcome of a hypothesis test.

    Parameters
    ----------
    statistic : float or ndarray
        The test statistic.
    pvalue : float or ndarray
        The p-value: the probability, under the null hypothesis, of a statistic at least as
        extreme (in the direction ``alternative`` names) as the one observed.
    df : float, tuple or None
        Degrees of freedom of the statistic's null distribution, where defined.
    alternative : {"two-sided", "less", "greater"} or None
        The alternative hypothesis the p-value was computed for.
    ci : callable or None
        ``ci(confidence_level, **options) -> (low, high)``; ``None`` when the test defines no
        interval.
    name : str
        The test's name, used in ``repr``.
    **extras
        Test-specific quantities (sums of squares, expected frequencies, ...), stored as
        attributes.

    Notes
    -----
    The result behaves as the 2-tuple ``(statistic, pvalue)`` for unpacking, indexing and
    ``len``, like scipy's result objects; every other quantity is an attribute.

    Examples
    --------
    >>> res = TestResult(2.5, 0.03, df=9, alternative="two-sided", name="ttest_1samp")
    >>> t, p = res
    >>> print(t, p, res.df, res.alternative)
    2.5 0.03 9 two-sided
    >>> res.confidence_interval()
    Traceback (most recent call last):
    ...
    ValueError: ttest_1samp defines no confidence interval
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        statistic: float | ArrayLike,
        pvalue: float | ArrayLike,
        *,
        df: float | tuple[float, ...] | None = None,
        alternative: Literal["two-sided", "less", "greater"] | None = None,
        ci: Callable[..., ConfidenceInterval] | None = None,
        name: str = "test",
        **extras: Any,
    ):
        self.statistic = statistic
        self.pvalue = pvalue
        self.df = df
        self.alternative = alternative
        self._ci = ci
        self._name = name
        for key, value in extras.items():
            setattr(self, key, value)
        self._extras = tuple(extras)

    def confidence_interval(
        self, confidence_level: float = 0.95, **options: Any
    ) -> ConfidenceInterval:
        """The confidence interval the test defines, at ``confidence_level``.

        Parameters
        ----------
        confidence_level : float
            Coverage probability, strictly between 0 and 1.
        **options
            Test-specific choices, such as ``method="wilson"`` for :func:`binomtest`.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``, one-sided when the test's ``alternative`` is.

        Raises
        ------
        ValueError
            If the test defines no interval, or ``confidence_level`` is outside (0, 1).
        """
        if self._ci is None:
            raise ValueError(f"{self._name} defines no confidence interval")
        low, high = self._ci(check_confidence_level(confidence_level), **options)
        return ConfidenceInterval(low, high)

    # ---- tuple behaviour: (statistic, pvalue)
    def __iter__(self):
        return iter((self.statistic, self.pvalue))

    def __len__(self):
        return 2

    def __getitem__(self, index):
        return (self.statistic, self.pvalue)[index]

    def __repr__(self):
        def fmt(v):
            if isinstance(v, float | np.floating):
                return f"{float(v):.6g}"
            if isinstance(v, np.ndarray) and v.size > 6:
                return f"array(shape={v.shape})"
            return repr(v)

        parts = [f"statistic={fmt(self.statistic)}", f"pvalue={fmt(self.pvalue)}"]
        if self.df is not None:
            parts.append(f"df={fmt(self.df)}")
        if self.alternative is not None:
            parts.append(f"alternative={self.alternative!r}")
        return f"{self._name}Result({', '.join(parts)})"
