"""Univariate feature scores: ANOVA F, regression F, chi-squared and mutual information.

Each function scores every column of ``X`` against the target ``y`` on its own; the selectors in
:mod:`m4ml.pipeline.select` rank columns by these scores. The F and chi-squared tail
probabilities are written through the regularized incomplete beta and gamma functions of
:mod:`scipy.special` (private helpers here; they move to ``m4ml.stats`` when that module exists).
"""

import numbers
import warnings
from typing import Literal

import numpy as np
from scipy.special import betainc, betaincc, gammaincc

from m4ml._core import (
    as_float_array,
    as_label_array,
    check_rng,
    overflow_guard,
    power_of_two_scale,
)
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.pipeline._mutual_info import mi_continuous, mi_discrete


def _f_sf(f, dfn, dfd):
    """Survival function :math:`P(F > f)` of the F distribution with (dfn, dfd) degrees of freedom.

    Notes
    -----
    If :math:`F = (U/d_1)/(V/d_2)` with independent :math:`U \\sim \\chi^2_{d_1}`,
    :math:`V \\sim \\chi^2_{d_2}`, then :math:`W = d_2/(d_2 + d_1 F) = V/(U+V)` is
    :math:`\\mathrm{Beta}(d_2/2, d_1/2)`, and :math:`F > f \\iff W < d_2/(d_2 + d_1 f)`, so

    .. math:: P(F > f) = I_{d_2/(d_2 + d_1 f)}(d_2/2,\\ d_1/2),

    the regularized incomplete beta function; for small f, where :math:`x` is close to 1, the
    equivalent :math:`1 - I_{d_1 f/(d_2 + d_1 f)}(d_1/2, d_2/2)` is evaluated with the
    complementary function instead. ``f = inf`` gives 0, NaN stays NaN.
    (Private here; moves to m4ml.stats when that module lands.)
    """
    f = np.asarray(f, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        lower = np.where(np.isinf(f), 1.0, dfn * f / (dfn * f + dfd))  # 1 - x, formed directly
        x = np.where(np.isinf(f), 0.0, dfd / (dfn * f + dfd))
    # the smaller of x and 1 - x is the accurate one: use that side of the identity
    return np.where(
        x < 0.5, betainc(dfd / 2.0, dfn / 2.0, x), betaincc(dfn / 2.0, dfd / 2.0, lower)
    )


def _chi2_sf(x, dof):
    """Survival function of the chi-squared distribution: :math:`Q(k/2, x/2)`.

    Notes
    -----
    :math:`\\chi^2_k` is :math:`\\mathrm{Gamma}(k/2, \\text{scale}=2)`, so
    :math:`P(X > x) = \\Gamma(k/2, x/2)/\\Gamma(k/2)`, the regularized upper incomplete gamma
    function (``scipy.special.gammaincc``). Private; moves to m4ml.stats later.
    """
    return gammaincc(dof / 2.0, np.asarray(x, dtype=np.float64) / 2.0)


def _check_xy(X, y, *, labels=True):
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    y = as_label_array(y, "y", ndim=None) if labels else as_float_array(y, "y")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {y.shape}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y have different numbers of samples: {X.shape[0]} and {y.shape[0]}"
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must have at least one sample and one feature, got shape {X.shape}")
    return X, y


def _classes(y, need=2, what="this score"):
    classes, inverse = np.unique(y, return_inverse=True)
    if classes.size < need:
        raise ValueError(f"{what} needs at least {need} classes in y, got {classes.size} class(es)")
    return classes, inverse.ravel()


@overflow_guard("f_classif")
def f_classif(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """One-way ANOVA F statistic of each feature across the classes of ``y``.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
        Class labels (numbers or strings).

    Returns
    -------
    f_statistic : ndarray of shape (n_features,)
    p_values : ndarray of shape (n_features,)

    Raises
    ------
    ValueError
        Mismatched lengths, NaN/inf in X, fewer than two classes, no more samples than
        classes.

    Notes
    -----
    With :math:`K` classes of sizes :math:`n_k`, class means :math:`\\bar x_k` and overall mean
    :math:`\\bar x`,

    .. math:: F = \\frac{\\sum_k n_k(\\bar x_k - \\bar x)^2 / (K - 1)}
                      {\\sum_i (x_i - \\bar x_{k(i)})^2 / (n - K)}
              \\sim F_{K-1,\\,n-K}

    under the null of equal means. The sums of squares are computed from centred data (two
    passes), not as differences of raw sums of squares, so features with a large offset keep
    their digits; scikit-learn uses the one-pass form, hence agreement to about 1e-10 rather
    than to the last bit on such data. A feature constant within every class has zero
    within-class variance: F is ``inf`` (or NaN if it is constant overall) with a warning.

    References
    ----------
    .. [1] Lowry, *Concepts and Applications of Inferential Statistics*, ch. 14.

    Examples
    --------
    >>> F, p = f_classif([[1.0, 5.0], [2.0, 3.0], [8.0, 4.0], [9.0, 4.5]], [0, 0, 1, 1])
    >>> F.round(3).tolist(), p.round(4).tolist()
    ([98.0, 0.059], [0.0101, 0.831])
    """
    X, y = _check_xy(X, y)
    _, inv = _classes(y, what="f_classif")
    n, k = X.shape[0], int(inv.max()) + 1
    if n <= k:
        raise ValueError(f"f_classif needs more samples ({n}) than classes ({k})")
    counts = np.bincount(inv, minlength=k).astype(np.float64)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), inv] = 1.0
    X = X / power_of_two_scale(X, always=True, axis=0)  # exact; F is free of each column's
    X = X - X.mean(axis=0)  # scale, and squares of subnormal values no longer vanish; a shift
    # changes no sum of squares but keeps the digits
    means = (onehot.T @ X) / counts[:, None]
    grand = X.mean(axis=0)
    ssb = counts @ (means - grand) ** 2
    ssw = ((X - means[inv]) ** 2).sum(axis=0)
    msb, msw = ssb / (k - 1), ssw / (n - k)
    constant = np.flatnonzero(msw == 0)
    if constant.size:
        warnings.warn(
            f"Features {constant.tolist()} are constant within every class; "
            "their F statistic is infinite or undefined",
            UserWarning,
            stacklevel=2,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        f = msb / msw
    return f, _f_sf(f, k - 1, n - k)


@overflow_guard("f_regression")
def f_regression(
    X: ArrayLike, y: ArrayLike, *, center: bool = True, force_finite: bool = True
) -> tuple[FloatArray, FloatArray]:
    """F statistic of the univariate linear regression of ``y`` on each feature.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
    center : bool, default=True
        Centre X and y (fit an intercept). Without centring the correlation is uncentred.
    force_finite : bool, default=True
        Replace the non-finite F of a constant feature/target by 0 (p = 1) and of a perfectly
        (anti-)correlated feature by the largest float (p = 0).

    Returns
    -------
    f_statistic, p_values : ndarray of shape (n_features,)

    Raises
    ------
    ValueError
        Mismatched lengths, NaN/inf input, fewer than 3 samples (2 without centring).

    Notes
    -----
    With the (centred) correlation :math:`r = \\frac{\\sum (x-\\bar x)(y - \\bar y)}
    {\\|x - \\bar x\\|\\,\\|y - \\bar y\\|}` and :math:`d = n - 2` degrees of freedom
    (:math:`n - 1` without centring),

    .. math:: F = \\frac{r^2}{1 - r^2}\\, d \\sim F_{1, d}

    under the null of zero slope. Both X and y are centred explicitly (two passes).

    References
    ----------
    .. [1] Draper & Smith, *Applied Regression Analysis*, 3rd ed., ch. 1.

    Examples
    --------
    >>> F, p = f_regression([[1.0], [2.0], [3.0], [4.0]], [1.0, 2.1, 2.9, 4.2])
    >>> round(float(F[0]), 2), round(float(p[0]), 5)
    (257.52, 0.00386)
    """
    X, y = _check_xy(X, y)
    y = as_float_array(y, "y")
    dof = y.size - (2 if center else 1)
    if dof < 1:
        raise ValueError(f"f_regression needs at least {3 if center else 2} samples, got {y.size}")
    if center:
        X = X - X.mean(axis=0)
        y = y - y.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (y @ X) / np.sqrt((X * X).sum(axis=0)) / np.sqrt(y @ y)
        if force_finite:
            r = np.where(np.isnan(r), 0.0, r)  # constant feature or target: no correlation
        f = r * r / (1.0 - r * r) * dof
    p = _f_sf(f, 1, dof)
    if force_finite:
        p = np.where(np.isnan(f), 1.0, p)
        f = np.where(np.isinf(f), np.finfo(np.float64).max, np.where(np.isnan(f), 0.0, f))
    return f, p


@overflow_guard("chi2")
def chi2(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Chi-squared statistic of each non-negative feature against the classes of ``y``.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Non-negative values (counts, frequencies, indicators).
    y : array_like of shape (n_samples,)
        Class labels.

    Returns
    -------
    chi2 : ndarray of shape (n_features,)
    p_values : ndarray of shape (n_features,)

    Raises
    ------
    ValueError
        Negative entries, NaN/inf, mismatched lengths, fewer than two classes.

    Notes
    -----
    Each feature is read as a count spread over the classes. The observed total of feature
    :math:`j` in class :math:`c` is :math:`O_{cj} = \\sum_{i: y_i = c} x_{ij}`; if the feature
    were independent of the class it would be shared in proportion to the class frequencies,
    :math:`E_{cj} = \\frac{n_c}{n} \\sum_i x_{ij}`. Then

    .. math:: \\chi^2_j = \\sum_c \\frac{(O_{cj} - E_{cj})^2}{E_{cj}} \\sim \\chi^2_{K-1}.

    A feature that is zero everywhere has no expected counts: its statistic is NaN (with a
    warning), as in scikit-learn.

    References
    ----------
    .. [1] Manning, Raghavan & Schütze, *Introduction to Information Retrieval*, §13.5.2.

    Examples
    --------
    >>> stat, p = chi2([[3, 0], [4, 1], [0, 5], [1, 4]], ["a", "a", "b", "b"])
    >>> stat.round(3).tolist(), p.round(4).tolist()
    ([4.5, 6.4], [0.0339, 0.0114])
    """
    X, y = _check_xy(X, y)
    if (X < 0).any():
        raise ValueError("Input X must be non-negative: chi2 reads features as counts")
    _, inv = _classes(y, what="chi2")
    n, k = X.shape[0], int(inv.max()) + 1
    onehot = np.zeros((n, k))
    onehot[np.arange(n), inv] = 1.0
    observed = onehot.T @ X
    expected = np.outer(onehot.mean(axis=0), X.sum(axis=0))
    zero = np.flatnonzero(X.sum(axis=0) == 0)
    if zero.size:
        warnings.warn(
            f"Features {zero.tolist()} are zero everywhere; their chi2 is undefined (NaN)",
            UserWarning,
            stacklevel=2,
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        stat = ((observed - expected) ** 2 / expected).sum(axis=0)
    return stat, _chi2_sf(stat, k - 1)


def _discrete_mask(discrete_features, n_features):
    if isinstance(discrete_features, str):
        if discrete_features != "auto":
            raise ValueError(
                "discrete_features must be 'auto', a bool, a boolean mask or "
                f"indices, got {discrete_features!r}"
            )
        return np.zeros(n_features, dtype=bool)
    if isinstance(discrete_features, bool | np.bool_):
        return np.full(n_features, bool(discrete_features))
    arr = np.asarray(discrete_features)
    if arr.dtype == bool:
        if arr.shape != (n_features,):
            raise ValueError(f"a boolean discrete_features needs {n_features} entries")
        return arr
    mask = np.zeros(n_features, dtype=bool)
    mask[arr.astype(np.int64)] = True
    return mask


@overflow_guard("mutual_info_classif")
def mutual_info_classif(
    X: ArrayLike,
    y: ArrayLike,
    *,
    discrete_features: Literal["auto"] | bool | ArrayLike = "auto",
    n_neighbors: int = 3,
    copy: bool = True,
    random_state: Seed = None,
    n_jobs: int | None = None,
) -> FloatArray:
    """Mutual information (nats) between each feature and the class label.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
        Class labels.
    discrete_features : "auto", bool, boolean mask or indices, default="auto"
        Which features are discrete; ``"auto"`` means none for dense input.
    n_neighbors : int, default=3
        k of the nearest-neighbour estimator for continuous features.
    copy : bool, default=True
        Kept for scikit-learn compatibility; X is never modified.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Source of the tiny noise added to continuous features. A legacy RandomState gives the
        same noise as scikit-learn with the same RandomState.
    n_jobs : None
        Accepted for compatibility; the computation is vectorised, not parallelised.

    Returns
    -------
    mi : ndarray of shape (n_features,)
        Non-negative estimates.

    Raises
    ------
    ValueError
        Mismatched lengths, NaN/inf, ``n_neighbors < 1``, bad ``discrete_features``.

    Notes
    -----
    Discrete feature: the plug-in estimate :math:`\\hat I = \\sum_{a,c} \\hat p(a,c)
    \\log \\frac{\\hat p(a,c)}{\\hat p(a)\\hat p(c)}`.

    Continuous feature (Ross 2014, after Kraskov, Stögbauer & Grassberger 2004): each feature is
    divided by its standard deviation and jittered by :math:`10^{-10}\\max(1, \\overline{|x|})`
    standard normal noise to break ties. For point :math:`i` in class :math:`c` (size
    :math:`N_c`), let :math:`d_i` be the distance to its :math:`k`-th nearest neighbour within
    the class and :math:`m_i` the number of points of any class closer than :math:`d_i`
    (the point itself included). Then

    .. math:: \\hat I = \\psi(N) + \\langle \\psi(k) \\rangle - \\langle \\psi(N_c) \\rangle
                       - \\langle \\psi(m_i) \\rangle,

    clipped at 0, with :math:`\\psi` the digamma function; points alone in their class are left
    out. In one dimension neighbours come from sorting, so each feature costs
    :math:`O(n \\log n)`.

    References
    ----------
    .. [1] Kraskov, Stögbauer & Grassberger, "Estimating mutual information", Phys. Rev. E 69
           (2004).
    .. [2] Ross, "Mutual information between discrete and continuous data sets", PLoS ONE 9
           (2014).

    Examples
    --------
    >>> X = [[0, 1], [0, 2], [1, 1], [1, 2]]
    >>> mutual_info_classif(X, [0, 0, 1, 1], discrete_features=True).round(4).tolist()
    [0.6931, 0.0]
    """
    X, y = _check_xy(X, y)
    if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, numbers.Integral):
        raise TypeError(f"n_neighbors must be an integer, got {n_neighbors!r}")
    if n_neighbors < 1:
        raise ValueError(f"n_neighbors must be >= 1, got {n_neighbors}")
    _, labels = _classes(y, need=1)
    counts = np.bincount(labels)
    discrete = _discrete_mask(discrete_features, X.shape[1])
    continuous = np.flatnonzero(~discrete)
    if continuous.size:
        if isinstance(random_state, np.random.RandomState):
            rng = random_state
        else:
            rng = check_rng(random_state)
        Xc = X[:, continuous]
        std = Xc.std(axis=0)
        Xc = Xc / np.where(std == 0, 1.0, std)
        scale = np.maximum(1.0, np.abs(Xc).mean(axis=0))
        Xc = Xc + 1e-10 * scale * rng.standard_normal(size=Xc.shape)
    mi = np.empty(X.shape[1])
    for j in np.flatnonzero(discrete):
        mi[j] = mi_discrete(X[:, j], labels, counts.size)
    for col, j in enumerate(continuous):
        mi[j] = mi_continuous(Xc[:, col], labels, counts, n_neighbors)
    return mi
