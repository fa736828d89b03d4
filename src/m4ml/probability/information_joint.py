r"""Information shared by two discrete variables, from a joint probability table or samples.

Joint entropy :math:`H(X, Y)`, conditional entropy :math:`H(Y \mid X)` and mutual information
:math:`I(X; Y)` of a table ``joint[i, j] = P(X = i, Y = j)``, and the plug-in mutual
information of paired samples. Conventions (bases, :math:`0 \log 0 = 0`, validation) are
those of :mod:`m4ml.probability.information`.
"""

import numpy as np

from m4ml._core import as_label_array
from m4ml._core.hints import ArrayLike
from m4ml.probability._distribution_arrays import _log_base, _rel_terms, as_distribution
from m4ml.probability.information import entropy

__all__ = [
    "conditional_entropy",
    "joint_entropy",
    "mutual_information",
    "mutual_information_from_samples",
]


def joint_entropy(joint: ArrayLike, base: float | None = None, *, normalize: bool = False) -> float:
    r"""Joint entropy :math:`H(X, Y)` of a joint probability table.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y) or more axes
        ``joint[i, j] = P(X = i, Y = j)``; all entries together sum to 1.
    base : float, optional
        Logarithm base (``None``: natural log).
    normalize : bool, default False
        Divide by the total first (so a table of counts is accepted).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Invalid table or ``base``.

    Notes
    -----
    :math:`H(X, Y) = -\sum_{x, y} p(x, y) \log p(x, y)`, the entropy of the table's entries
    taken as one distribution; :math:`\max(H(X), H(Y)) \le H(X, Y) \le H(X) + H(Y)`.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., 2006,
       sec. 2.2.

    Examples
    --------
    >>> from m4ml.probability.information_joint import joint_entropy
    >>> float(joint_entropy([[0.25, 0.25], [0.25, 0.25]], base=2))
    2.0
    """
    J = as_distribution(joint, "joint", axis=None, normalize=normalize)
    return float(entropy(J, base, axis=None))


def _as_joint(joint, normalize):
    J = as_distribution(joint, "joint", axis=None, normalize=normalize)
    if J.ndim != 2:
        raise ValueError(f"joint must be a 2-D table P(X=i, Y=j), got shape {J.shape}")
    return J


def conditional_entropy(
    joint: ArrayLike, base: float | None = None, *, normalize: bool = False
) -> float:
    r"""Conditional entropy :math:`H(Y \mid X)` from a joint table ``joint[x, y]``.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        ``joint[i, j] = P(X = i, Y = j)``, summing to 1. Transpose it for :math:`H(X \mid Y)`.
    base : float, optional
        Logarithm base (``None``: natural log).
    normalize : bool, default False
        Divide by the total first.

    Returns
    -------
    float
        :math:`0 \le H(Y \mid X) \le H(Y)`.

    Raises
    ------
    ValueError
        Invalid or non-2-D table, or a bad ``base``.

    Notes
    -----
    .. math:: H(Y \mid X) = -\sum_{x, y} p(x, y) \log \frac{p(x, y)}{p(x)}
              = H(X, Y) - H(X),

    summed directly (not as the difference, which can come out slightly negative). Rows with
    :math:`p(x) = 0` contribute nothing.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., 2006,
       sec. 2.2.

    Examples
    --------
    >>> from m4ml.probability.information_joint import conditional_entropy
    >>> float(conditional_entropy([[0.5, 0.0], [0.0, 0.5]]))  # Y = X: no uncertainty left
    0.0
    >>> float(conditional_entropy([[0.25, 0.25], [0.25, 0.25]], base=2))
    1.0
    """
    scale = _log_base(base)
    J = _as_joint(joint, normalize)
    px = J.sum(axis=1, keepdims=True)
    h = 0.0 - float(_rel_terms(J, np.broadcast_to(px, J.shape)).sum())
    h = max(h, 0.0)
    return h / scale


def mutual_information(
    joint: ArrayLike, base: float | None = None, *, normalize: bool = False
) -> float:
    r"""Mutual information :math:`I(X; Y)` of a joint probability table.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        ``joint[i, j] = P(X = i, Y = j)``, summing to 1 (or counts with ``normalize``).
    base : float, optional
        Logarithm base (``None``: natural log, as ``sklearn.metrics.mutual_info_score``).
    normalize : bool, default False
        Divide by the total first, so a contingency table of counts is accepted.

    Returns
    -------
    float
        :math:`I(X; Y) \ge 0`, zero exactly when the table factorizes.

    Raises
    ------
    ValueError
        Invalid or non-2-D table, or a bad ``base``.

    Notes
    -----
    .. math:: I(X; Y) = \sum_{x, y} p(x, y) \log\frac{p(x, y)}{p(x)\,p(y)}
              = D_{\mathrm{KL}}\big(p_{XY} \,\|\, p_X \otimes p_Y\big)
              = H(X) + H(Y) - H(X, Y).

    Summed directly as :math:`\sum_x p(x) \sum_y p(y \mid x) \log(p(y \mid x) / p(y))`
    (the product :math:`p(x) p(y)` could underflow for tiny marginals); rounding can leave a
    value of order :math:`10^{-17}` below zero for an independent table, which is clipped to
    0 (as scikit-learn does).

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., 2006,
       sec. 2.4.

    Examples
    --------
    >>> from m4ml.probability.information_joint import mutual_information
    >>> float(mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2))
    1.0
    >>> float(mutual_information([[0.25, 0.25], [0.25, 0.25]]))
    0.0
    """
    scale = _log_base(base)
    J = _as_joint(joint, normalize)
    px = J.sum(axis=1, keepdims=True)
    py = np.broadcast_to(J.sum(axis=0, keepdims=True), J.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        cond = np.where(px > 0, J / px, 0.0)  # p(y | x); no underflow of p(x) p(y)
    return max(float((px * _rel_terms(cond, py)).sum()), 0.0) / scale


def mutual_information_from_samples(x: ArrayLike, y: ArrayLike, base: float | None = None) -> float:
    r"""Plug-in estimate of :math:`I(X; Y)` from paired discrete samples.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Paired observations of two discrete variables (any labels NumPy can sort: ints,
        strings, ...).
    base : float, optional
        Logarithm base (``None``: natural log).

    Returns
    -------
    float
        The mutual information of the empirical joint distribution, equal to
        ``sklearn.metrics.mutual_info_score(x, y)`` in nats.

    Raises
    ------
    ValueError
        Empty or unequal-length samples, not 1-D, or a bad ``base``.

    Notes
    -----
    The contingency table :math:`n_{xy}` of the pairs gives :math:`\hat p(x, y) = n_{xy}/n`
    and :math:`\hat I = \sum \hat p(x,y) \log \frac{n\, n_{xy}}{n_x n_y}`. The estimate is
    biased upward (by about :math:`(|X|-1)(|Y|-1) / (2n)` nats for independent variables);
    it is the maximum likelihood estimate, not a bias-corrected one. Building the table costs
    two ``numpy.unique`` sorts and one ``bincount``.

    References
    ----------
    .. [1] L. Paninski, "Estimation of entropy and mutual information", *Neural Comput.* 15
       (2003), 1191--1253.

    Examples
    --------
    >>> from m4ml.probability.information_joint import mutual_information_from_samples
    >>> float(mutual_information_from_samples([0, 0, 1, 1], ["a", "a", "b", "b"], base=2))
    1.0
    """
    xs, ys = as_label_array(x, "x", ndim=None), as_label_array(y, "y", ndim=None)
    if xs.ndim != 1 or ys.ndim != 1:
        raise ValueError(f"x and y must be 1-D samples, got shapes {xs.shape} and {ys.shape}")
    if xs.size == 0 or xs.size != ys.size:
        raise ValueError(
            f"x and y must be non-empty and of equal length, got {xs.size} and {ys.size}"
        )
    for name, s in (("x", xs), ("y", ys)):
        if s.dtype.kind == "f" and np.isnan(s).any():
            raise ValueError(f"{name} contains NaN; remove or impute it first")
    _, ix = np.unique(xs, return_inverse=True)
    _, iy = np.unique(ys, return_inverse=True)
    ny = iy.max() + 1
    counts = np.bincount(ix.ravel() * ny + iy.ravel(), minlength=(ix.max() + 1) * ny)
    return mutual_information(counts.reshape(-1, ny), base, normalize=True)
