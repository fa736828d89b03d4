"""least_squares / curve_fit on the 27 NIST StRD nonlinear regression problems, both starts.

The bar (issue 12): certified parameters to LRE >= 6 and certified standard deviations to
LRE >= 4 wherever scipy.optimize.least_squares reaches the answer. With the trust-region
reflective method m4ml reaches it on all 54 (problem, start) pairs; docs/least_squares.md
has the full table (scipy's "trf" and "lm" too). Exceptions, each with its reason:

* Lanczos1's standard deviations: the data are an exact fit (certified RSS 1.4e-25), so the
  residuals, and with them s^2 and every standard deviation, are rounding noise of the data
  (LRE ~3.2 for m4ml and for both scipy methods); the test asks LRE >= 3 there.
* Levenberg–Marquardt from BoxBOD's start 1 fails for m4ml and scipy alike (the first steps
  saturate the exponential): excluded from the "lm" test; "trf" solves it.
"""

import numpy as np
import pytest

from m4ml.optim.curve_fit import curve_fit
from m4ml.optim.least_squares import least_squares
from tests.optim.nist_nonlinear import NAMES, load, lre

TIGHT = {"ftol": 1e-15, "xtol": 1e-15, "gtol": 1e-15, "max_nfev": 5000}
# (problem, start) pairs whose solve takes more than ~1.5 s on the CI machines
SLOW = {("MGH17", 1), ("Lanczos1", 1), ("Lanczos2", 1), ("Lanczos3", 1), ("ENSO", 1),
        ("MGH09", 1), ("MGH10", 1), ("Bennett5", 1), ("Bennett5", 2), ("Nelson", 1)}  # fmt: skip
LM_FAILS = {("BoxBOD", 1)}
CASES = [
    pytest.param(name, k, marks=pytest.mark.slow) if (name, k) in SLOW else (name, k)
    for name in NAMES
    for k in (1, 2)
]


@pytest.mark.parametrize("name", NAMES)
def test_models_reproduce_the_certified_residual_sum_of_squares(name):
    # guards the transcription of each model from its file
    p = load(name)
    r = np.asarray(p.residuals(p.params), dtype=float)
    if p.rss < 1e-20:  # Lanczos1: an exact fit, the RSS is rounding noise
        assert r @ r < 1e-20
    else:
        assert lre(r @ r, p.rss) >= 8


@pytest.mark.parametrize("name,start", CASES)
def test_trf_reaches_certified_values(name, start):
    p = load(name)
    popt, pcov = curve_fit(
        lambda x, *b: p.model(b, x), p.x, p.y, p0=p.starts[start - 1], method="trf", **TIGHT
    )
    assert lre(popt, p.params).min() >= 6
    std_bar = 3 if name == "Lanczos1" else 4
    assert lre(np.sqrt(np.diag(pcov)), p.std).min() >= std_bar


@pytest.mark.slow
@pytest.mark.parametrize(
    "name,start", [(n, k) for n in NAMES for k in (1, 2) if (n, k) not in LM_FAILS]
)
def test_lm_reaches_certified_parameters(name, start):
    p = load(name)
    res = least_squares(p.residuals, p.starts[start - 1], method="lm", **TIGHT)
    assert res.success
    assert lre(res.x, p.params).min() >= 6
