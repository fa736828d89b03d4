"""The NIST StRD univariate and one-way ANOVA sets, read by m4ml.datasets.load_nist, and an LRE."""

import math

from m4ml.datasets import load_nist

UNIVARIATE = ("Lew", "Lottery", "Mavro", "Michelso", "NumAcc1", "NumAcc2", "NumAcc3", "NumAcc4")
ANOVA = (
    "SiRstv",
    "SmLs01",
    "SmLs02",
    "SmLs03",
    "SmLs04",
    "SmLs05",
    "SmLs06",
    "SmLs07",
    "SmLs08",
    "SmLs09",
    "AtmWtAg",
)


def lre(computed, certified):
    """Log relative error: the number of correct significant digits, capped at 15."""
    computed, certified = float(computed), float(certified)
    if computed == certified:
        return 15.0
    if certified == 0.0:
        return min(15.0, -math.log10(abs(computed)))
    return min(15.0, -math.log10(abs(computed - certified) / abs(certified)))


def read_univariate(name):
    """``(y, certified)`` with certified keys 'mean', 'std', 'r1' (m4ml's own parser)."""
    data = load_nist(name)
    return data.y, dict(data.certified)


def read_anova(name):
    """``(groups, certified)``; certified keys: df_between, df_within, ss_between, ss_within,
    ms_between, ms_within, F, r_squared, resid_sd (m4ml's own parser)."""
    data = load_nist(f"{name}t")
    cert = dict(data.certified)
    cert["resid_sd"] = cert.pop("residual_sd")
    return list(data.groups), cert
