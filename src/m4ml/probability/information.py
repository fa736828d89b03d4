r"""Information theory for discrete distributions given as probability arrays.

Entropy, cross-entropy, Kullback--Leibler and Jensen--Shannon divergences and perplexity (two
variables' joint, conditional and mutual information are in
:mod:`m4ml.probability.information_joint`). Conventions follow ``scipy.stats.entropy``: a
distribution lies along ``axis`` (default 0, as in SciPy), the natural logarithm gives nats,
``base=2`` gives bits.

The limits :math:`0 \log 0 = 0` and :math:`0 \log(0/q) = 0` are taken exactly (through
``scipy.special.xlogy``/``xlog1py``, never by adding an epsilon), and a term with
:math:`p > 0 = q` makes a divergence or cross-entropy :math:`+\infty`: ``q`` then rules out
an outcome that ``p`` can produce. Inputs must be finite, non-negative and sum to 1 along
``axis`` (within ``1e-8``); pass ``normalize=True`` to rescale counts or weights instead.
"""

import numpy as np
from scipy.special import xlogy

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.probability._distribution_arrays import _log_base, _pair, _rel_terms, as_distribution
from m4ml.probability.base import Distribution

__all__ = [
    "cross_entropy",
    "entropy",
    "js_divergence",
    "kl_divergence",
    "perplexity",
]


def entropy(
    p: ArrayLike, base: float | None = None, *, axis: int | None = 0, normalize: bool = False
) -> float | FloatArray:
    r"""Shannon entropy :math:`H(p) = -\sum_i p_i \log p_i` of a discrete distribution.

    Parameters
    ----------
    p : array_like
        Probabilities along ``axis``; several distributions are stacked along the other axes.
    base : float, optional
        Logarithm base: ``None`` (natural log, nats, the default), 2 for bits, 10 for bans.
    axis : int or None, default 0
        The axis holding each distribution (0, as in ``scipy.stats.entropy``); ``None`` treats
        all entries as one distribution.
    normalize : bool, default False
        Divide by the sum first (as SciPy always does), so counts or weights are accepted.

    Returns
    -------
    float or ndarray
        The entropy, with ``axis`` removed.

    Raises
    ------
    ValueError
        Empty input, negative, NaN or infinite entries, a sum other than 1 (without
        ``normalize``), or a bad ``base``.

    Notes
    -----
    :math:`H(p) = -\sum_i p_i \log_b p_i` with :math:`0 \log 0 = 0`; :math:`0 \le H(p) \le
    \log_b n`, with equality on the left for a point mass and on the right for the uniform
    distribution on :math:`n` outcomes. One pass over the data; ``xlogy`` handles the zeros.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., 2006, ch. 2.

    Examples
    --------
    >>> from m4ml.probability.information import entropy
    >>> float(entropy([0.5, 0.5], base=2))
    1.0
    >>> float(entropy([1.0, 0.0]))
    0.0
    >>> round(float(entropy([2, 1, 1], base=2, normalize=True)), 12)
    1.5
    """
    scale = _log_base(base)
    P = as_distribution(p, "p", axis=axis, normalize=normalize)
    h = 0.0 - xlogy(P, P).sum(axis=axis)
    return h / scale if scale != 1.0 else h


def cross_entropy(
    p: ArrayLike,
    q: ArrayLike,
    base: float | None = None,
    *,
    axis: int | None = 0,
    normalize: bool = False,
) -> float | FloatArray:
    r"""Cross-entropy :math:`H(p, q) = -\sum_i p_i \log q_i` of ``q`` relative to ``p``.

    Parameters
    ----------
    p, q : array_like
        Distributions along ``axis`` (broadcast against each other): ``p`` the true one,
        ``q`` the model.
    base : float, optional
        Logarithm base (``None``: natural log).
    axis : int or None, default 0
        Axis holding each distribution.
    normalize : bool, default False
        Rescale ``p`` and ``q`` to sum to 1 first.

    Returns
    -------
    float or ndarray
        :math:`H(p, q) \ge H(p)`; ``inf`` where ``q_i = 0 < p_i``.

    Raises
    ------
    ValueError
        Invalid distributions, non-broadcastable shapes or a bad ``base``.

    Notes
    -----
    :math:`H(p, q) = H(p) + D_{\mathrm{KL}}(p \,\|\, q)`: the expected code length when
    outcomes drawn from :math:`p` are coded with a code optimal for :math:`q`. It is the
    log loss of a classifier predicting :math:`q` for labels distributed as :math:`p`.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., 2006,
       sec. 5.4.

    Examples
    --------
    >>> from m4ml.probability.information import cross_entropy
    >>> float(cross_entropy([0.5, 0.5], [0.25, 0.75], base=2))  # doctest: +ELLIPSIS
    1.207...
    >>> float(cross_entropy([0.5, 0.5], [1.0, 0.0]))
    inf
    """
    scale = _log_base(base)
    P, Q = _pair(p, q, axis, normalize)
    with np.errstate(divide="ignore"):
        h = 0.0 - xlogy(P, Q).sum(axis=axis)
    return h / scale if scale != 1.0 else h


def kl_divergence(
    p: ArrayLike | Distribution,
    q: ArrayLike | Distribution,
    base: float | None = None,
    *,
    axis: int | None = 0,
    normalize: bool = False,
) -> float | FloatArray:
    r"""Kullback--Leibler divergence :math:`D_{\mathrm{KL}}(p \,\|\, q)`.

    For probability arrays it is computed here; for two distribution *objects* of the same
    family (``Normal``, ``MultivariateNormal``, ``Bernoulli``, ``Categorical``,
    ``Exponential``, ``Gamma``, ``Beta``, ``Poisson``, ``Dirichlet``) the call is handed to
    the closed forms of :mod:`m4ml.probability.kl`, so ``m4ml.probability.kl_divergence``
    is one function for both (``base``, ``axis`` and ``normalize`` apply to arrays only).

    Parameters
    ----------
    p, q : array_like or distribution objects
        Distributions along ``axis``, broadcast against each other.
    base : float, optional
        Logarithm base (``None``: natural log).
    axis : int or None, default 0
        Axis holding each distribution.
    normalize : bool, default False
        Rescale ``p`` and ``q`` to sum to 1 first.

    Returns
    -------
    float or ndarray
        :math:`D_{\mathrm{KL}}(p\,\|\,q) \ge 0`, ``inf`` where some :math:`q_i = 0 < p_i`.

    Raises
    ------
    ValueError
        Invalid distributions, non-broadcastable shapes or a bad ``base``.
    TypeError
        A distribution object paired with an array, or keyword arguments given with
        distribution objects.

    Notes
    -----
    .. math:: D_{\mathrm{KL}}(p\,\|\,q) = \sum_i p_i \log\frac{p_i}{q_i}
              = H(p, q) - H(p) \ge 0

    (Gibbs' inequality), zero only for :math:`p = q`; not symmetric. Terms with
    :math:`p_i = 0` contribute 0. Each term is :math:`p\,\mathrm{log1p}((p-q)/q)` when
    :math:`|\log(p/q)| < 0.4`, so nearly equal distributions keep their relative accuracy
    (``p * log(p / q)`` would lose digits to the rounding of ``p / q`` near 1).

    References
    ----------
    .. [1] S. Kullback and R. A. Leibler, "On information and sufficiency", *Ann. Math.
       Statist.* 22 (1951), 79--86.

    Examples
    --------
    >>> from m4ml.probability.information import kl_divergence
    >>> round(float(kl_divergence([0.5, 0.5], [0.25, 0.75], base=2)), 12)
    0.207518749639
    >>> float(kl_divergence([0.5, 0.5], [0.5, 0.5]))
    0.0
    """
    dist_p, dist_q = _is_distribution(p), _is_distribution(q)
    if dist_p or dist_q:
        if not (dist_p and dist_q):
            raise TypeError(
                "kl_divergence takes two probability arrays or two distribution objects, "
                f"got {type(p).__name__} and {type(q).__name__}"
            )
        if base is not None or axis != 0 or normalize:
            raise TypeError("base, axis and normalize apply to probability arrays only")
        try:
            from m4ml.probability.kl import kl_divergence as closed_form
        except ModuleNotFoundError:  # pragma: no cover - while kl.py has not landed
            raise TypeError(
                "closed-form KL between distribution objects is not available"
            ) from None

        return closed_form(p, q)
    scale = _log_base(base)
    P, Q = _pair(p, q, axis, normalize)
    d = _rel_terms(P, Q).sum(axis=axis)
    return d / scale if scale != 1.0 else d


def _is_distribution(obj):
    from m4ml.probability.base import Distribution

    return isinstance(obj, Distribution)


def js_divergence(
    p: ArrayLike,
    q: ArrayLike,
    base: float | None = None,
    *,
    axis: int | None = 0,
    normalize: bool = False,
) -> float | FloatArray:
    r"""Jensen--Shannon divergence, the symmetrized and smoothed KL divergence.

    Parameters
    ----------
    p, q : array_like
        Distributions along ``axis``, broadcast against each other.
    base : float, optional
        Logarithm base (``None``: natural log).
    axis : int or None, default 0
        Axis holding each distribution.
    normalize : bool, default False
        Rescale ``p`` and ``q`` to sum to 1 first.

    Returns
    -------
    float or ndarray
        :math:`0 \le \mathrm{JS}(p, q) \le \log_b 2`; always finite.

    Raises
    ------
    ValueError
        Invalid distributions, non-broadcastable shapes or a bad ``base``.

    Notes
    -----
    .. math:: \mathrm{JS}(p, q) = \tfrac12 D_{\mathrm{KL}}(p\,\|\,m)
              + \tfrac12 D_{\mathrm{KL}}(q\,\|\,m), \qquad m = \tfrac12 (p + q).

    Its square root is a metric, the Jensen--Shannon *distance* returned by
    ``scipy.spatial.distance.jensenshannon``; this function returns the divergence (the
    square of SciPy's value).

    References
    ----------
    .. [1] J. Lin, "Divergence measures based on the Shannon entropy", *IEEE Trans. Inf.
       Theory* 37 (1991), 145--151.

    Examples
    --------
    >>> from m4ml.probability.information import js_divergence
    >>> float(js_divergence([1.0, 0.0], [0.0, 1.0], base=2))
    1.0
    """
    scale = _log_base(base)
    P, Q = _pair(p, q, axis, normalize)
    M = 0.5 * (P + Q)
    d = 0.5 * (_rel_terms(P, M) + _rel_terms(Q, M)).sum(axis=axis)
    return d / scale if scale != 1.0 else d


def perplexity(
    p: ArrayLike, q: ArrayLike | None = None, *, axis: int | None = 0, normalize: bool = False
) -> float | FloatArray:
    r"""Perplexity :math:`e^{H(p)}`, or of a model ``q`` on data from ``p``, :math:`e^{H(p,q)}`.

    Parameters
    ----------
    p : array_like
        Distribution(s) along ``axis``.
    q : array_like, optional
        A model distribution; if given, the perplexity is that of the cross-entropy.
    axis : int or None, default 0
        Axis holding each distribution.
    normalize : bool, default False
        Rescale to sum to 1 first.

    Returns
    -------
    float or ndarray
        A number between 1 and the number of outcomes (for ``q=None``); ``inf`` if ``q``
        rules out an outcome of ``p``.

    Raises
    ------
    ValueError
        Invalid distributions.

    Notes
    -----
    :math:`\mathrm{PP}(p) = b^{H_b(p)} = e^{H(p)}` does not depend on the base: it is the
    "effective number of equally likely outcomes". A language model's perplexity is
    :math:`\exp` of its average per-token cross-entropy, :math:`e^{H(p, q)}`.

    References
    ----------
    .. [1] D. Jurafsky and J. H. Martin, *Speech and Language Processing*, 3rd ed. draft,
       sec. 3.3.

    Examples
    --------
    >>> from m4ml.probability.information import perplexity
    >>> round(float(perplexity([0.25, 0.25, 0.25, 0.25])), 12)
    4.0
    >>> round(float(perplexity([0.5, 0.5], [0.25, 0.75])), 6)
    2.309401
    """
    if q is None:
        h = entropy(p, axis=axis, normalize=normalize)
    else:
        h = cross_entropy(p, q, axis=axis, normalize=normalize)
    with np.errstate(over="ignore"):
        return np.exp(h)
