"""Running one call of the bad-input catalogue and classifying its outcome.

:func:`run` calls a function under a time limit and records every warning. The outcome is
``ok`` (a result whose every number is finite), ``refused`` (a ``TypeError``/``ValueError``
raised by m4ml's own checks, scikit-learn's input validation or a baseline's user function),
or a failure: ``nonfinite``, ``raw-error`` (raised from inside NumPy/SciPy/Python), ``hang``,
or ``runtime-warning`` (a leaked ``RuntimeWarning`` that is not m4ml's own).
"""

import contextlib
import math
import os
import signal
import traceback
import warnings

import numpy as np

TIME_LIMIT = 10  # seconds per call


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds):
    def handler(signum, frame):
        raise _Timeout

    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - not on the CI platform
        yield
        return
    old = signal.signal(signal.SIGALRM, handler)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _numbers(value, depth=0):
    """Every float in a result (arrays, scalars, tuples, result objects' attributes)."""
    if depth > 3:
        return
    if isinstance(value, bool | str | bytes | type(None)) or callable(value):
        return
    if isinstance(value, int | float | np.number):
        yield float(value)
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and value.size:
            yield from (float(v) for v in np.abs(value).ravel()[:10000])
    elif isinstance(value, list | tuple | dict):
        items = value.values() if isinstance(value, dict) else value
        for v in list(items)[:200]:
            yield from _numbers(v, depth + 1)
    elif hasattr(value, "__dict__") and type(value).__module__.startswith("m4ml"):
        for k, v in vars(value).items():
            if not k.startswith("__"):
                yield from _numbers(v, depth + 1)


def _raised_where(exc):
    """The file of the frame that raised ``exc``."""
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].filename if frames else ""


def _ours(filename):
    parts = filename.replace(os.sep, "/")
    # m4ml's own checks, or scikit-learn's input validation (sklearn.utils) behind an estimator,
    # or a user function of a baseline call (tests/_baselines.py) refusing what it was passed
    return "/m4ml/" in parts or "/sklearn/utils/" in parts or parts.endswith("/_baselines.py")


def run(func, args, kwargs=None):
    """Call ``func``; return ``(kind, detail)`` with kind in ok/refused/failure kinds."""
    kwargs = kwargs or {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with _time_limit(TIME_LIMIT):
                result = func(*args, **kwargs)
        except _Timeout:
            return "hang", f"no result after {TIME_LIMIT} s"
        except (TypeError, ValueError) as exc:
            where = _raised_where(exc)
            if not _ours(where):
                return "raw-error", f"{type(exc).__name__} from {where}: {exc}"[:300]
            kind = "refused"
            detail = f"{type(exc).__name__}: {exc}"[:200]
        except Exception as exc:
            where = _raised_where(exc)
            return "raw-error", f"{type(exc).__name__} from {where}: {exc}"[:300]
        else:
            kind, detail = "ok", ""
            try:
                if not all(math.isfinite(v) for v in _numbers(result)):
                    kind, detail = "nonfinite", "a NaN or infinite number in the result"
            except Exception:
                pass
    leaked = [  # m4ml's own warnings (LinAlgWarning, DegenerateDataWarning) are deliberate;
        # a warning from a baseline's user function (its loss overflowing at 1e308) is the user's
        w
        for w in caught
        if issubclass(w.category, RuntimeWarning)
        and not w.category.__module__.startswith("m4ml")
        and not w.filename.endswith("_baselines.py")
    ]
    if leaked:
        return "runtime-warning", str(leaked[0].message)[:200]
    return kind, detail
