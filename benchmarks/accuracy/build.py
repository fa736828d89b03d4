"""Compute every accuracy figure and assemble the document written to benchmarks/accuracy.json."""

import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from benchmarks.accuracy import agreement, anova, linear, nonlinear, univariate

JSON = Path(__file__).resolve().parents[1] / "accuracy.json"
SCHEMA = 1

# family -> (title, module, the certified quantities in table order)
FAMILIES = {
    "linear_regression": (
        "Linear least squares (NIST StRD)",
        linear,
        ("beta", "beta_sd", "residual_sd", "r_squared", "F"),
    ),
    "univariate": ("Univariate summary statistics (NIST StRD)", univariate, ("mean", "std", "r1")),
    "anova": (
        "One-way analysis of variance (NIST StRD)",
        anova,
        ("ss_between", "ss_within", "ms_between", "ms_within", "F", "r_squared", "residual_sd"),
    ),
}


def _versions():
    out = {}
    for name in ("numpy", "scipy", "scikit-learn", "statsmodels"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def family_names(family):
    return nonlinear.names() if family == "nonlinear_regression" else FAMILIES[family][1].NAMES


def compute_family(family, names=None):
    """``{dataset: {method: {quantity: [LRE, ...]}}}`` for ``names`` (default: all) of a family."""
    names = family_names(family) if names is None else names
    if family == "nonlinear_regression":
        out = {}
        for name in names:
            out.update(nonlinear.run(name))
        return out
    return {name: FAMILIES[family][1].run(name) for name in names}


def compute():
    """The whole document (a few minutes: the nonlinear problems dominate)."""
    doc = {
        "schema": SCHEMA,
        "generated_by": "python -m benchmarks.accuracy",
        "environment": {"python": platform.python_version(), **_versions()},
        "families": {},
        "agreement": {group: agreement.run(group) for group in agreement.GROUPS},
    }
    for family, (title, module, quantities) in FAMILIES.items():
        doc["families"][family] = {
            "title": title,
            "methods": list(module.METHODS),
            "quantities": list(quantities),
            "datasets": compute_family(family),
        }
    doc["families"]["nonlinear_regression"] = {
        "title": "Nonlinear least squares (NIST StRD, both starting points)",
        "methods": list(nonlinear.METHODS),
        "quantities": ["beta", "beta_sd", "rss"],
        "datasets": compute_family("nonlinear_regression"),
    }
    return doc
