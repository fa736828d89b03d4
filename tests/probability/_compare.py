"""Comparison helpers for the distribution tests (relative agreement with scipy.stats)."""

import numpy as np
import scipy.stats as st

RTOL = 1e-12


def assert_rel(actual, expected, rtol=RTOL, atol=0.0):
    """Elementwise |a - e| <= rtol |e| + atol, with infinities required to match exactly."""
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    a, e = np.broadcast_arrays(a, e)
    assert a.shape == e.shape
    assert not np.isnan(a).any(), "m4ml returned NaN"
    inf = np.isinf(e)
    np.testing.assert_array_equal(a[inf], e[inf])
    np.testing.assert_allclose(a[~inf], e[~inf], rtol=rtol, atol=atol)


def gof_pvalue(sample, cdf):
    """Kolmogorov-Smirnov p-value of ``sample`` against the callable ``cdf``."""
    return st.kstest(np.ravel(sample), cdf).pvalue


def chisquare_pvalue(sample, support, pmf):
    """Chi-square goodness-of-fit p-value of integer ``sample`` over ``support`` (+ a rest bin)."""
    sample = np.ravel(sample)
    observed = np.array([np.sum(sample == k) for k in support] + [0.0])
    observed[-1] = sample.size - observed[:-1].sum()
    probs = np.append(pmf(support), 0.0)
    probs[-1] = max(1.0 - probs[:-1].sum(), 0.0)
    keep = probs * sample.size > 5
    rest_o, rest_p = observed[~keep].sum(), probs[~keep].sum()
    obs = np.append(observed[keep], rest_o)
    exp = np.append(probs[keep], rest_p) * sample.size
    if exp[-1] == 0:
        obs, exp = obs[:-1], exp[:-1]
    exp = exp * obs.sum() / exp.sum()
    return st.chisquare(obs, exp).pvalue
