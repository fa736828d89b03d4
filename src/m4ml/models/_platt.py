r"""Platt scaling: the two-parameter sigmoid :math:`P(y = 1 \mid f) = 1 / (1 + e^{a f + b})`
that maps a binary classifier's scores to probabilities, fitted by Newton's method on Platt's
regularized targets.

:class:`~m4ml.models.CalibratedClassifierCV` (``method="sigmoid"``) and
:class:`~m4ml.models.SVC` (``probability=True``) use it. The public home of
:func:`fit_platt` and :func:`platt_predict` is :mod:`m4ml.models.calibration` (and
:mod:`m4ml.models`), which re-exports them.
"""

import numpy as np

from m4ml._core import as_float_array, as_label_array, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.models._base import check_sample_weight

__all__ = ["fit_platt", "platt_predict"]


def _log1pexp(z):
    """log(1 + exp(z)) without overflow."""
    return np.logaddexp(0.0, z)


def platt_predict(decision_values: ArrayLike, a: float, b: float) -> FloatArray:
    r"""Platt's probability of the positive class, :math:`1 / (1 + e^{a f + b})`.

    Parameters
    ----------
    decision_values : array_like
        Scores :math:`f` (any shape).
    a, b : float
        The slope and intercept returned by :func:`fit_platt` (``a < 0`` when larger scores
        mean "more positive").

    Returns
    -------
    p : ndarray, the shape of ``decision_values``

    Notes
    -----
    Evaluated as :math:`\exp(-\log(1 + e^{z}))` with :math:`z = a f + b`, finite for every finite
    :math:`z`.

    Examples
    --------
    >>> from m4ml.models.calibration import platt_predict
    >>> platt_predict([-1.0, 0.0, 1.0], -2.0, 0.0).round(4).tolist()
    [0.1192, 0.5, 0.8808]
    """
    f = as_float_array(decision_values, "decision_values")
    a, b = as_float_array(a, "a"), as_float_array(b, "b")  # scalars, or broadcastable arrays
    with overflow_guard("platt_predict"):
        z = a * f + b
    return np.exp(-_log1pexp(z))


def fit_platt(
    decision_values: ArrayLike,
    y: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    max_iter: int = 100,
    tol: float = 1e-20,
) -> tuple[float, float]:
    r"""Fit Platt's sigmoid :math:`P(y = 1 \mid f) = 1 / (1 + e^{a f + b})` to scores and labels.

    Parameters
    ----------
    decision_values : array_like, shape (n,)
        Scores :math:`f_i` of a binary classifier (decision function or probability).
    y : array_like, shape (n,)
        Labels; entries ``> 0`` (or ``True``) are positive, the rest negative.
    sample_weight : array_like, shape (n,), optional
    max_iter : int, default 100
        Newton iterations.
    tol : float, default 1e-20
        Stop when the Newton decrement :math:`g^\top H^{-1} g` falls below ``tol`` times the
        total weight (Newton converges quadratically: the last steps are cheap).

    Returns
    -------
    a, b : float
        Slope and intercept; use :func:`platt_predict`.

    Raises
    ------
    ValueError
        Mismatched lengths, NaN/inf scores, bad weights.

    Notes
    -----
    Platt (1999) maximizes the Bernoulli likelihood with regularized targets
    :math:`t_+ = (N_+ + 1)/(N_+ + 2)` for positives and :math:`t_- = 1/(N_- + 2)` for negatives
    (a Bayesian correction that keeps the fit finite on separable scores):

    .. math:: \min_{a,b} \sum_i w_i \bigl[\log(1 + e^{z_i}) - (1 - t_i) z_i\bigr],
              \qquad z_i = a f_i + b,

    a convex problem with gradient :math:`\sum_i w_i (t_i - p_i)(f_i, 1)` and Hessian
    :math:`\sum_i w_i p_i (1 - p_i)(f_i, 1)^\top (f_i, 1)`. It is solved by Newton's method
    with a backtracking line search, as Lin, Lin and Weng (2007) recommend, starting from
    :math:`a = 0`, :math:`b = \log((N_- + 1)/(N_+ + 1))`; each step costs :math:`O(n)`. Scores
    larger than 30 in magnitude are rescaled by :math:`\max|f|` first (the fit is invariant to it).

    References
    ----------
    .. [1] J. Platt, "Probabilistic outputs for support vector machines and comparisons to
       regularized likelihood methods", 1999.
    .. [2] H.-T. Lin, C.-J. Lin and R. C. Weng, "A note on Platt's probabilistic outputs for
       support vector machines", Machine Learning 68, 2007.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models.calibration import fit_platt, platt_predict
    >>> f = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 0.2, -0.2])
    >>> y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    >>> a, b = fit_platt(f, y)
    >>> bool(a < 0)
    True
    >>> p = platt_predict(f, a, b)
    >>> bool(np.all(np.diff(p[np.argsort(f)]) > 0))
    True
    """
    f = as_float_array(decision_values, "decision_values").reshape(-1)
    y = as_label_array(y, "y", ndim=None).reshape(-1)
    if f.size != y.size:
        raise ValueError(f"decision_values has {f.size} entries but y has {y.size}")
    if not np.isfinite(f).all():
        raise ValueError("decision_values contains NaN or infinity")
    w = check_sample_weight(sample_weight, f.size)
    positive = y > 0
    n_pos, n_neg = w[positive].sum(), w[~positive].sum()
    t = np.where(positive, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    scale = np.abs(f).max() if f.size else 1.0
    scale = scale if scale >= 30.0 else 1.0
    f = f / scale
    one_minus_t = 1.0 - t

    def objective(a, b):
        z = a * f + b
        return float(w @ (_log1pexp(z) - one_minus_t * z))

    a, b = 0.0, float(np.log((n_neg + 1.0) / (n_pos + 1.0)))
    value = objective(a, b)
    total = max(w.sum(), 1e-300)
    for _ in range(max_iter):
        z = a * f + b
        p = np.exp(-_log1pexp(z))  # P(y = 1) = 1 - sigma(z)
        r = w * (t - p)  # d loss / d z
        g1, g2 = float(r @ f), float(r.sum())
        h = w * p * (1.0 - p)
        h11, h12, h22 = float(h @ (f * f)) + 1e-12, float(h @ f), float(h.sum()) + 1e-12
        det = h11 * h22 - h12 * h12
        da, db = -(h22 * g1 - h12 * g2) / det, -(h11 * g2 - h12 * g1) / det
        decrement = -(g1 * da + g2 * db)
        if not decrement > tol * total:
            break
        if decrement < 1e-8 * max(abs(value), 1.0):  # quadratic region: pure Newton steps
            a, b, value = a + da, b + db, objective(a + da, b + db)
            continue
        step = 1.0
        while step > 1e-10:
            new = objective(a + step * da, b + step * db)
            if new <= value - 1e-4 * step * decrement:
                break
            step *= 0.5
        else:
            break
        a, b, value = a + step * da, b + step * db, new
    return a / scale, b
