"""The 27 NIST StRD nonlinear regression problems: data, both starting points, certified values.

Private helper of tests/optim. Each ``.dat`` file (tests/data/nist-strd/, copied from NIST/ITL)
is parsed for its data, the two starting points and the certified parameters, standard
deviations and residual sum of squares; each model is written below as a Python function on
:mod:`m4ml.numpy` (so :mod:`m4ml.autodiff` gives exact Jacobians), transcribed from the
``y = ...`` line of its file. ``test_least_squares_nist.py`` checks every model against its
certified residual sum of squares, so a transcription error cannot pass silently.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import m4ml.numpy as mnp

DATA = Path(__file__).resolve().parents[1] / "data" / "nist-strd"
_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_PARAM = re.compile(rf"^\s*b(\d+)\s*=\s*({_NUM})\s+({_NUM})\s+({_NUM})\s+({_NUM})\s*$")


def _exp_class(b, x):
    return b[0] * (1.0 - mnp.exp(-b[1] * x))


def _rational(num, b, x):
    """(b1 + b2 x + ...) / (1 + b_{num+1} x + ...), the numerator with ``num`` terms."""
    top = sum(b[k] * x**k for k in range(num))
    bottom = 1.0 + sum(b[num + k] * x ** (k + 1) for k in range(len(b) - num))
    return top / bottom


def _lanczos(b, x):
    return b[0] * mnp.exp(-b[1] * x) + b[2] * mnp.exp(-b[3] * x) + b[4] * mnp.exp(-b[5] * x)


def _gauss(b, x):
    return (
        b[0] * mnp.exp(-b[1] * x)
        + b[2] * mnp.exp(-((x - b[3]) ** 2) / b[4] ** 2)
        + b[5] * mnp.exp(-((x - b[6]) ** 2) / b[7] ** 2)
    )


def _enso(b, x):
    w = 2.0 * np.pi * x
    return (
        b[0]
        + b[1] * mnp.cos(w / 12)
        + b[2] * mnp.sin(w / 12)
        + b[4] * mnp.cos(w / b[3])
        + b[5] * mnp.sin(w / b[3])
        + b[7] * mnp.cos(w / b[6])
        + b[8] * mnp.sin(w / b[6])
    )


# name -> (difficulty, model(b, x)); x is (m,) or, for Nelson, (m, 2)
MODELS = {
    "Misra1a": ("lower", _exp_class),
    "Chwirut2": ("lower", lambda b, x: mnp.exp(-b[0] * x) / (b[1] + b[2] * x)),
    "Chwirut1": ("lower", lambda b, x: mnp.exp(-b[0] * x) / (b[1] + b[2] * x)),
    "Lanczos3": ("lower", _lanczos),
    "Gauss1": ("lower", _gauss),
    "Gauss2": ("lower", _gauss),
    "DanWood": ("lower", lambda b, x: b[0] * x ** b[1]),
    "Misra1b": ("lower", lambda b, x: b[0] * (1.0 - (1.0 + b[1] * x / 2) ** (-2))),
    "Kirby2": ("average", lambda b, x: _rational(3, b, x)),
    "Hahn1": ("average", lambda b, x: _rational(4, b, x)),
    "Nelson": ("average", lambda b, x: b[0] - b[1] * x[:, 0] * mnp.exp(-b[2] * x[:, 1])),
    "MGH17": (
        "average",
        lambda b, x: b[0] + b[1] * mnp.exp(-x * b[3]) + b[2] * mnp.exp(-x * b[4]),
    ),
    "Lanczos1": ("average", _lanczos),
    "Lanczos2": ("average", _lanczos),
    "Gauss3": ("average", _gauss),
    "Misra1c": ("average", lambda b, x: b[0] * (1.0 - (1.0 + 2.0 * b[1] * x) ** (-0.5))),
    "Misra1d": ("average", lambda b, x: b[0] * b[1] * x * (1.0 + b[1] * x) ** (-1)),
    "Roszman1": (
        "average",
        lambda b, x: b[0] - b[1] * x - mnp.arctan(b[2] / (x - b[3])) / np.pi,
    ),
    "ENSO": ("average", _enso),
    "MGH09": ("higher", lambda b, x: b[0] * (x**2 + x * b[1]) / (x**2 + x * b[2] + b[3])),
    "Thurber": ("higher", lambda b, x: _rational(4, b, x)),
    "BoxBOD": ("higher", _exp_class),
    "Rat42": ("higher", lambda b, x: b[0] / (1.0 + mnp.exp(b[1] - b[2] * x))),
    "MGH10": ("higher", lambda b, x: b[0] * mnp.exp(b[1] / (x + b[2]))),
    "Eckerle4": (
        "higher",
        lambda b, x: (b[0] / b[1]) * mnp.exp(-0.5 * ((x - b[2]) / b[1]) ** 2),
    ),
    "Rat43": ("higher", lambda b, x: b[0] / (1.0 + mnp.exp(b[1] - b[2] * x)) ** (1.0 / b[3])),
    "Bennett5": ("higher", lambda b, x: b[0] * (b[1] + x) ** (-1.0 / b[2])),
}


@dataclass(frozen=True)
class NistProblem:
    name: str
    difficulty: str
    x: np.ndarray
    y: np.ndarray  # the response the model predicts (log y for Nelson)
    starts: tuple  # (start 1, start 2)
    params: np.ndarray  # certified parameters
    std: np.ndarray  # certified standard deviations
    rss: float  # certified residual sum of squares

    def residuals(self, b):
        return self.model(b, self.x) - self.y

    def model(self, b, x):
        return MODELS[self.name][1](b, x)

    def residuals_np(self, b):
        """The same residuals on plain NumPy values (for scipy)."""
        return np.asarray(self.residuals(np.asarray(b, dtype=float)), dtype=float)


def load(name):
    lines = (DATA / f"{name}.dat").read_text().splitlines()
    rows = [_PARAM.match(line) for line in lines]
    rows = [r for r in rows if r]
    start1 = np.array([float(r.group(2)) for r in rows])
    start2 = np.array([float(r.group(3)) for r in rows])
    params = np.array([float(r.group(4)) for r in rows])
    std = np.array([float(r.group(5)) for r in rows])
    rss = next(float(line.split()[-1]) for line in lines if "Residual Sum of Squares" in line)
    k = max(i for i, line in enumerate(lines) if line.strip().startswith("Data:"))
    data = np.array([[float(v) for v in line.split()] for line in lines[k + 1 :] if line.strip()])
    y = data[:, 0]
    x = data[:, 1] if data.shape[1] == 2 else data[:, 1:]
    if name == "Nelson":
        y = np.log(y)
    return NistProblem(name, MODELS[name][0], x, y, (start1, start2), params, std, rss)


NAMES = tuple(MODELS)


def lre(computed, certified):
    """Log relative error -log10(|c - q| / |q|) (absolute when q = 0), capped at 15."""
    computed, certified = np.asarray(computed, float), np.asarray(certified, float)
    err = np.abs(computed - certified)
    scale = np.where(certified != 0, np.abs(certified), 1.0)
    with np.errstate(divide="ignore"):
        out = -np.log10(err / scale)
    return np.minimum(np.where(np.isfinite(out), out, 15.0), 15.0)
