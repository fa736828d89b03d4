"""Accuracy tables: NIST StRD log relative errors and agreement with the reference libraries.

``python -m benchmarks.accuracy`` computes every figure with m4ml (and with the reference
libraries on the same data) and writes ``benchmarks/accuracy.json``; the documentation page
"m4ml vs the production libraries" renders that file, and ``tests/benchmarks/test_accuracy.py``
recomputes a subset to check it is current. Nothing is retyped.

The score is NIST's log relative error, the number of correct significant digits,

.. math:: \\mathrm{LRE}(q, c) = -\\log_{10} \\frac{|q - c|}{|c|}

(absolute error :math:`-\\log_{10}|q|` where the certified value :math:`c` is 0), clipped to
``[0, 15]``: the certified values are printed to 15 significant digits, so no estimate can be
shown to agree to more. A non-finite estimate scores 0.
"""

import math

import numpy as np

CAP = 15.0  # the certified values carry 15 significant digits


def lre(estimate, certified):
    """Per-entry LRE of ``estimate`` against ``certified`` (scalars or arrays), rounded to 0.1."""
    est = np.atleast_1d(np.asarray(estimate, dtype=float)).ravel()
    cert = np.atleast_1d(np.asarray(certified, dtype=float)).ravel()
    if est.shape != cert.shape:
        raise ValueError(f"estimate has {est.size} values, certified {cert.size}")
    out = []
    for q, c in zip(est, cert, strict=True):
        if not math.isfinite(q):
            score = 0.0
        elif q == c:
            score = CAP
        else:
            err = abs(q - c) / abs(c) if c != 0 else abs(q - c)
            score = min(CAP, max(0.0, -math.log10(err)))
        out.append(round(score, 1))
    return out


def scores(estimates, certified):
    """``{quantity: [LRE, ...]}`` for the quantities of ``estimates`` that are certified."""
    return {k: lre(v, certified[k]) for k, v in estimates.items() if v is not None}


def worst(quantities):
    """The smallest LRE over every value of ``{quantity: [LRE, ...]}``."""
    return min(min(v) for v in quantities.values())
