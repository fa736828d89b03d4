"""The NIST Statistical Reference Datasets (StRD) the project checks itself against.

Each ``.dat`` file from NIST/ITL carries its data and NIST's certified values; the header says
on which lines each sits. Three families are shipped: univariate summary statistics, linear
least squares and one-way analysis of variance. The certified values are parsed from the files,
never retyped.
"""

import re
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

__all__ = ["NIST_DATASETS", "NistDataset", "load_nist"]

UNIVARIATE = ("Lew", "Lottery", "Mavro", "Michelso", "NumAcc1", "NumAcc2", "NumAcc3", "NumAcc4")
LINEAR = (
    "Norris",
    "Pontius",
    "NoInt1",
    "NoInt2",
    "Filip",
    "Longley",
    "Wampler1",
    "Wampler2",
    "Wampler3",
    "Wampler4",
    "Wampler5",
)
ANOVA = (
    "SiRstvt",
    "SmLs01t",
    "SmLs02t",
    "SmLs03t",
    "SmLs04t",
    "SmLs05t",
    "SmLs06t",
    "SmLs07t",
    "SmLs08t",
    "SmLs09t",
    "AtmWtAgt",
)
#: name -> family ("univariate", "linear_regression" or "anova") of every shipped StRD set
NIST_DATASETS = {
    **dict.fromkeys(UNIVARIATE, "univariate"),
    **dict.fromkeys(LINEAR, "linear_regression"),
    **dict.fromkeys(ANOVA, "anova"),
}

_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
_PARAM = re.compile(r"^\s*B(\d+)\s+" + _NUMBER + r"\s+" + _NUMBER + r"\s*$")


@dataclass(frozen=True)
class NistDataset:
    """One StRD problem: its data and NIST's certified values.

    Attributes
    ----------
    name : str
        The set's name, e.g. ``"Longley"``.
    kind : str
        ``"univariate"`` (``y`` only), ``"linear_regression"`` (``y`` and predictors ``X``) or
        ``"anova"`` (``groups``, one array of replicates per treatment).
    y : numpy.ndarray
        The response (every observation, treatment by treatment for ANOVA).
    X : numpy.ndarray or None
        The predictor columns, ``(n, p)``, for linear regression (NIST's ``x1 ... xp``; the
        model matrix, e.g. a polynomial in ``x``, is the user's to build).
    groups : tuple of numpy.ndarray
        The replicates of each treatment, for ANOVA.
    certified : dict
        NIST's certified values. Univariate: ``mean``, ``std`` (denominator n - 1), ``r1`` (lag-1
        autocorrelation). Linear regression: ``beta`` and ``beta_sd`` (arrays, ``B0, B1, ...``),
        ``residual_sd``, ``r_squared``, ``F`` (the regression F statistic; ``inf`` for an exact
        fit). ANOVA: ``df_between``, ``df_within``, ``ss_between``,
        ``ss_within``, ``ms_between``, ``ms_within``, ``F``, ``r_squared``, ``residual_sd``.
    model : str
        The model line of the file's header, e.g. ``"y = B0 + B1*x + e"``.
    """

    name: str
    kind: str
    y: np.ndarray
    X: np.ndarray | None = None
    groups: tuple = ()
    certified: dict = field(default_factory=dict)
    model: str = ""


def _read_lines(name):
    path = resources.files("m4ml.datasets") / "data" / "nist-strd" / f"{name}.dat"
    return path.read_text(encoding="ascii").splitlines()


def _block(lines, label):
    """1-based inclusive line range of ``label`` ("Certified Values" or "Data") in the header."""
    pattern = re.compile(label + r"\s*\(lines\s+(\d+)\s+to\s+(\d+)\)")
    for line in lines[:15]:
        if match := pattern.search(line):
            return int(match[1]) - 1, int(match[2])
    raise ValueError(f"no '{label}' line range in the header")  # pragma: no cover


def _rows(lines):
    """The numeric rows among ``lines`` (headers and blank lines skipped)."""
    rows = []
    for line in lines:
        tokens = line.split()
        try:
            rows.append([float(t) for t in tokens])
        except ValueError:
            continue
    return [r for r in rows if r]


def _last_number(line):
    return float(line.split()[-1])


def _univariate(name, lines):
    cert = {}
    for line in lines:
        if line.startswith("Sample Mean"):
            cert["mean"] = _last_number(line)
        elif line.startswith("Sample Standard Deviation"):
            cert["std"] = _last_number(line)
        elif line.startswith("Sample Autocorrelation"):
            cert["r1"] = _last_number(line)
    start = next(i for i, line in enumerate(lines) if line.startswith("Data: Y")) + 1
    y = np.array([r[0] for r in _rows(lines[start:])])
    return NistDataset(name, "univariate", y, certified=cert, model="y = mu + e")


def _linear(name, lines):
    c0, c1 = _block(lines, "Certified Values")
    beta, sd, cert = {}, {}, {}
    for line in lines[c0:c1]:
        if match := _PARAM.match(line):
            beta[int(match[1])], sd[int(match[1])] = float(match[2]), float(match[3])
        elif line.strip().startswith("Standard Deviation") and "residual_sd" not in cert:
            cert["residual_sd"] = _last_number(line)
        elif line.strip().startswith("R-Squared"):
            cert["r_squared"] = _last_number(line)
    for line in lines[c0:c1]:  # the certified analysis-of-variance table ends the block
        if line.startswith("Regression"):
            cert["F"] = _last_number(line)  # "Infinity" (an exact fit) reads as inf
            break
    order = sorted(beta)
    cert["beta"] = np.array([beta[k] for k in order])
    cert["beta_sd"] = np.array([sd[k] for k in order])
    d0, d1 = _block(lines, "Data")
    data = np.array(_rows(lines[d0:d1]))
    model = next((line.strip() for line in lines[:c0] if line.strip().startswith("y =")), "")
    return NistDataset(
        name, "linear_regression", data[:, 0], X=data[:, 1:], certified=cert, model=model
    )


def _anova(name, lines):
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
            cert["r_squared"] = _last_number(line)
        elif "Standard Deviation" in line and "residual_sd" not in cert:
            cert["residual_sd"] = _last_number(line)
    d0, d1 = _block(lines, "Data")
    body = np.array(_rows(lines[d0:d1]))  # one column per treatment, one row per replicate
    groups = tuple(body[:, j].copy() for j in range(body.shape[1]))
    y = np.concatenate(groups)
    return NistDataset(
        name, "anova", y, groups=groups, certified=cert, model="y_ij = mu + tau_i + e_ij"
    )


def load_nist(name: str) -> NistDataset:
    """Load one NIST StRD set with its certified values.

    Parameters
    ----------
    name : str
        One of ``NIST_DATASETS`` (case-insensitive; the ANOVA sets also answer to their names
        without the trailing ``t``, e.g. ``"SmLs01"``).

    Returns
    -------
    NistDataset
        The data (``y``, and ``X`` or ``groups``) and the ``certified`` values.

    Raises
    ------
    ValueError
        If ``name`` is not a shipped set (the message lists the shipped ones).

    Notes
    -----
    NIST scores a computed value :math:`\\hat c` against a certified one :math:`c` by the log
    relative error, :math:`\\mathrm{LRE} = -\\log_{10}(|\\hat c - c| / |c|)`: the number of
    correct significant digits.

    References
    ----------
    NIST/ITL Statistical Reference Datasets, https://www.itl.nist.gov/div898/strd/

    Examples
    --------
    >>> from m4ml.datasets import load_nist
    >>> norris = load_nist("Norris")
    >>> norris.kind, norris.X.shape
    ('linear_regression', (36, 1))
    >>> float(norris.certified["beta"][1])
    1.00211681802045
    >>> load_nist("Lew").certified["mean"]
    -177.435
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    lookup = {k.lower(): k for k in NIST_DATASETS}
    lookup.update({k[:-1].lower(): k for k in ANOVA})
    key = lookup.get(name.lower())
    if key is None:
        raise ValueError(
            f"unknown NIST StRD set {name!r}; the shipped sets are: {', '.join(NIST_DATASETS)}"
        )
    lines = _read_lines(key)
    reader = {"univariate": _univariate, "linear_regression": _linear, "anova": _anova}
    return reader[NIST_DATASETS[key]](key, lines)
