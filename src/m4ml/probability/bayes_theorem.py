r"""Bayes' theorem over a finite set of hypotheses.

:func:`bayes` turns a prior :math:`P(H_i)` over finitely many hypotheses and the likelihood
:math:`P(D \mid H_i)` of the observed data under each into the posterior
:math:`P(H_i \mid D)` and the evidence :math:`P(D)`, exactly with Fractions or on arrays.
"""

import math
from collections.abc import Hashable, Mapping
from fractions import Fraction
from typing import Any, NamedTuple

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike
from m4ml.probability._distribution_arrays import as_distribution
from m4ml.probability.spaces import _check_weights

__all__ = ["BayesResult", "bayes"]


class BayesResult(NamedTuple):
    """Result of :func:`bayes`: the posterior and the evidence (unpackable as a pair)."""

    posterior: Any
    evidence: Any


def bayes(
    prior: Mapping[Hashable, Any] | ArrayLike, likelihood: Mapping[Hashable, Any] | ArrayLike
) -> BayesResult:
    r"""Bayes' theorem over a finite set of hypotheses: posterior and evidence.

    Parameters
    ----------
    prior : mapping or array_like, shape (k,)
        :math:`P(H_i)`: a dict ``{hypothesis: probability}`` or an array, non-negative and
        summing to 1.
    likelihood : mapping or array_like, shape (..., k)
        :math:`P(D \mid H_i)` (or a density value) for each hypothesis: a dict with the same
        keys as ``prior``, or an array whose last axis matches the prior (leading axes give
        several alternative data at once).

    Returns
    -------
    BayesResult
        ``posterior`` (a dict, or an array of the likelihood's shape) and ``evidence``
        :math:`P(D)` (a number, or an array of the leading shape). With dicts of ints or
        Fractions the arithmetic is exact.

    Raises
    ------
    ValueError
        A prior that is negative or does not sum to 1, a negative or non-finite likelihood,
        mismatched hypotheses/shapes, or evidence 0 (the data are impossible under every
        hypothesis with positive prior).

    Notes
    -----
    .. math:: P(H_i \mid D) = \frac{P(D \mid H_i)\,P(H_i)}{P(D)}, \qquad
              P(D) = \sum_j P(D \mid H_j)\,P(H_j)

    (the law of total probability gives the evidence). Sequential updating, feeding a
    posterior back in as the prior for the next datum, gives the same result as one update
    with the product of the likelihoods of conditionally independent data.

    References
    ----------
    .. [1] J. K. Blitzstein and J. Hwang, *Introduction to Probability*, 2nd ed., 2019,
       sec. 2.3.

    Examples
    --------
    A test with 99% sensitivity and a 5% false-positive rate, for a 1% prevalence:

    >>> from fractions import Fraction as F
    >>> from m4ml.probability.bayes_theorem import bayes
    >>> post, evidence = bayes({"ill": F(1, 100), "well": F(99, 100)},
    ...                        {"ill": F(99, 100), "well": F(5, 100)})
    >>> post["ill"], evidence
    (Fraction(1, 6), Fraction(297, 5000))
    >>> bayes([0.5, 0.5], [0.9, 0.1]).posterior
    array([0.9, 0.1])
    """
    if isinstance(prior, Mapping) or isinstance(likelihood, Mapping):
        if not (isinstance(prior, Mapping) and isinstance(likelihood, Mapping)):
            raise TypeError("prior and likelihood must both be dicts or both be arrays")
        if set(prior) != set(likelihood):
            raise ValueError("prior and likelihood must have the same hypotheses (keys)")
        keys = list(prior)
        pri, exact_p = _check_weights([prior[h] for h in keys], "prior", must_sum_to_one=True)
        lik, exact_l = _check_weights(
            [likelihood[h] for h in keys], "likelihood", must_sum_to_one=False
        )
        joint = [a * b for a, b in zip(pri, lik)]
        evidence = sum(joint, Fraction(0)) if exact_p and exact_l else math.fsum(joint)
        if evidence == 0:
            raise ValueError("the evidence P(D) is 0: the data are impossible under the prior")
        return BayesResult(dict(zip(keys, [j / evidence for j in joint])), evidence)
    pri = as_distribution(prior, "prior", axis=0)
    if pri.ndim != 1:
        raise ValueError(f"prior must be 1-D, got shape {pri.shape}")
    lik = as_float_array(likelihood, "likelihood", min_ndim=1)
    if lik.shape[-1] != pri.size:
        raise ValueError(
            f"likelihood's last axis ({lik.shape[-1]}) must match the prior's {pri.size} hypotheses"
        )
    if (lik < 0).any():
        raise ValueError("likelihood must be non-negative")
    joint = lik * pri
    evidence = joint.sum(axis=-1)
    if (evidence == 0).any():
        raise ValueError("the evidence P(D) is 0: the data are impossible under the prior")
    posterior = joint / evidence[..., None]
    return BayesResult(posterior, evidence if evidence.ndim else float(evidence))
