"""Readers for the NIST StRD univariate and one-way ANOVA certification files (tests/data)."""

import math
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "nist-strd"

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
    """``(y, certified)`` with certified keys 'mean', 'std', 'r1'."""
    lines = (DATA / f"{name}.dat").read_text().splitlines()
    cert = {}
    for line in lines:
        if line.startswith("Sample Mean"):
            cert["mean"] = float(line.split()[-1])
        elif line.startswith("Sample Standard Deviation"):
            cert["std"] = float(line.split()[-1])
        elif line.startswith("Sample Autocorrelation"):
            cert["r1"] = float(line.split()[-1])
    start = next(i for i, line in enumerate(lines) if line.startswith("Data: Y")) + 2
    y = np.array([float(line) for line in lines[start:] if line.strip()])
    return y, cert


def read_anova(name):
    """``(groups, certified)``; certified keys: df_between, df_within, ss_between, ss_within,
    ms_between, ms_within, F, r_squared, resid_sd."""
    lines = (DATA / f"{name}t.dat").read_text().splitlines()
    cert = {}
    for line in lines:
        words = line.split()
        if line.startswith("Between"):
            cert.update(
                df_between=float(words[2]),
                ss_between=float(words[3]),
                ms_between=float(words[4]),
                F=float(words[5]),
            )
        elif line.startswith("Within"):
            cert.update(
                df_within=float(words[2]), ss_within=float(words[3]), ms_within=float(words[4])
            )
        elif "Certified R-Squared" in line:
            cert["r_squared"] = float(words[-1])
        elif "Standard Deviation" in line and "Residual" not in line:
            cert["resid_sd"] = float(words[-1])
    start = next(i for i, line in enumerate(lines) if line.startswith("Data:"))
    rows = []
    for line in lines[start + 1 :]:
        words = line.split()
        try:
            values = [float(w) for w in words]
        except ValueError:
            continue
        if len(values) == cert["df_between"] + 1 and "." in line:
            rows.append(values)
    table = np.array(rows)
    return [table[:, j] for j in range(table.shape[1])], cert
