"""The inputs of the bad-input catalogue: well-behaved arguments a baseline call is found among,
and the bad variants each array argument is then replaced by.

``CANDIDATES`` are the generic argument tuples tried in order (a public callable's baseline is
the first it accepts); ``variants`` makes NaN, inf, empty, wrong-ndim, string, None, complex,
object, 1e308, subnormal, singular and mismatched versions of one array; distributions are
driven through ``_PARAM_CANDIDATES`` and ``_BAD_PARAMS``.
"""

import numpy as np

MUST_REFUSE = ("nan", "inf", "string", "none", "complex", "object")  # a result is a failure

_RNG = np.random.default_rng(0)
_G = np.array(
    [[4.0, 1.0, 0.5, 0.2], [1.0, 3.0, 0.3, 0.1], [0.2, 0.4, 5.0, 1.0], [0.1, 0.3, 1.0, 2.0]]
)
SPD = _G @ _G.T
VEC = np.array([1.2, 2.5, 0.7, 3.1, 1.9, 2.2, 2.8, 0.9])
VEC2 = np.array([0.8, 2.1, 1.7, 2.6, 1.1, 3.0, 2.4, 1.3])
VEC4 = np.array([1.0, 2.0, 0.5, -1.0])
PROB = np.array([0.1, 0.2, 0.3, 0.4])
PROB2 = np.array([0.25, 0.25, 0.25, 0.25])
LAB = np.array([0, 1, 0, 1, 1, 0, 1, 0])
LAB2 = np.array([0, 1, 1, 1, 0, 0, 1, 0])
SCORES = np.array([0.1, 0.8, 0.3, 0.9, 0.6, 0.2, 0.7, 0.4])
X = _RNG.normal(size=(8, 3))
XBIG = _RNG.normal(size=(40, 3))
YBIG = (XBIG[:, 0] + 0.3 * _RNG.normal(size=40) > 0).astype(int)
YREG = XBIG @ np.array([1.0, -2.0, 0.5]) + 0.1 * _RNG.normal(size=40)


def _sq(x):
    return x * x


def _sumsq(x):
    return (np.asarray(x) ** 2).sum()


CANDIDATES = (
    (SPD,),
    (VEC,),
    (_G, VEC4),
    (SPD, SPD),
    (VEC, VEC2),
    (LAB, LAB2),
    (LAB, SCORES),
    (PROB, PROB2),
    (PROB,),
    (XBIG, YBIG),
    (XBIG, YREG),
    (X,),
    (_sq, 0.0, 1.0),
    (_sumsq, VEC4),
    (VEC, 0.5),
    (VEC, 1.0),
    (_G,),
    (LAB,),
    (VEC, VEC2, VEC + 1.0),
    (_sumsq, 0.0),
    (4,),
    (4, 2),
    (),
)


def variants(arg):
    """The bad versions of one array argument: ``{name: value}``."""
    a = np.asarray(arg)
    out = {}
    floats = a.astype(np.float64)
    if a.size:
        nan = floats.copy()
        nan.flat[a.size // 2] = np.nan
        inf = floats.copy()
        inf.flat[0] = np.inf
        out["nan"], out["inf"] = nan, inf
    out["empty"] = np.zeros((0, *a.shape[1:])) if a.ndim else np.zeros(0)
    out["ndim+"] = floats[None]
    if a.ndim >= 1 and a.size:
        out["ndim-"] = floats[0]
    out["string"] = np.full(a.shape, "a")
    out["none"] = None
    out["complex"] = floats + 1j
    obj = floats.astype(object)
    if obj.size:
        obj.flat[0] = {"a": 1}
    out["object"] = obj
    if a.dtype.kind == "f" and a.size:
        scale = np.abs(floats).max() or 1.0
        out["huge"] = floats / scale * 1e308
        out["subnormal"] = floats / scale * 1e-310
    if a.ndim == 2 and a.shape[0] == a.shape[1] and a.dtype.kind == "f":
        out["singular"] = np.ones_like(floats)
    if a.ndim >= 1 and a.shape[0] > 1:
        out["mismatch"] = floats[:-1]
    return out


_PARAM_CANDIDATES = ((), (1.0,), (0.0, 1.0), (2.0, 3.0), (5, 0.3), (PROB,), (VEC4, SPD))
_BAD_PARAMS = {
    "nan": np.nan,
    "inf": np.inf,
    "string": "a",
    "none": None,
    "complex": 1 + 1j,
    "empty": np.zeros(0),
    "negative": -1.0,
}
