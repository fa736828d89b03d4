"""Reading the user's CSV and inferring what each column is (and saying so).

Kinds: ``numeric``, ``categorical``, ``id`` (an identifier: dropped from the features, carried
into the predictions), ``empty`` (all missing: dropped) and ``constant`` (one value: dropped).
"""

import difflib
import re
from dataclasses import dataclass, field

from m4ml.cli.errors import DataError, UsageProblem

__all__ = ["ColumnPlan", "infer_columns", "infer_task", "read_csv", "target_values"]

MAX_CLASSES_FOR_INT_TARGET = 20
_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key)$|^(id|uuid|guid)([_\W]|$)", re.IGNORECASE)


def read_csv(path):
    """The CSV at ``path`` as a DataFrame, with a clear error for unreadable or empty files."""
    import pandas as pd

    try:
        frame = pd.read_csv(
            path,
            na_values=["NA", "N/A", "na", "n/a", "", "?"],
            keep_default_na=True,
            low_memory=False,
        )
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} is empty (no header, no rows)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"could not read {path} as CSV: {first}") from None
    except OSError as exc:
        raise DataError(f"could not open {path}: {exc.strerror or exc}") from None
    if frame.shape[0] == 0:
        raise DataError(f"{path} has a header but no data rows")
    if frame.columns.duplicated().any():
        dup = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise DataError(f"{path} repeats column name(s): {', '.join(map(str, dup))}")
    frame.columns = [str(c) for c in frame.columns]
    return frame


def check_target(frame, target):
    """Raise a usage error naming the closest columns when ``target`` is not one of them."""
    if target in frame.columns:
        return
    close = difflib.get_close_matches(target, list(frame.columns), n=3, cutoff=0.5)
    lowered = [c for c in frame.columns if c.lower() == target.lower()]
    close = list(dict.fromkeys(lowered + close))
    hint = (
        f"; did you mean {' or '.join(map(repr, close))}?"
        if close
        else (f"; the columns are: {', '.join(list(frame.columns)[:20])}")
    )
    raise UsageProblem(f"no column {target!r} in the CSV{hint}")


def infer_task(y):
    """``("classification" | "regression", reason)`` for the target values ``y`` (a Series)."""
    import pandas as pd

    if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
        return "classification", "the target is not numeric"
    values = y.to_numpy(dtype=float)
    n_unique = y.nunique()
    if (values == values.round()).all() and n_unique <= MAX_CLASSES_FOR_INT_TARGET:
        return "classification", f"integer target with {n_unique} distinct values (≤ 20)"
    return "regression", "numeric target" + (
        "" if (values == values.round()).all() else " with non-integer values"
    )


def target_values(frame, target, task):
    """The target column with missing rows dropped; checks that fit the task."""
    import pandas as pd

    y = frame[target]
    if y.isna().all():
        raise DataError(f"the target column {target!r} has no values (all missing)")
    if task == "regression" and not pd.api.types.is_numeric_dtype(y):
        sample = ", ".join(map(repr, y.dropna().astype(str).unique()[:3]))
        raise DataError(
            f"regression needs a numeric target, but {target!r} holds text "
            f"(e.g. {sample}); use --task classification"
        )
    if task == "classification":
        counts = y.dropna().astype(str).value_counts()
        if len(counts) < 2:
            raise DataError(
                f"the target {target!r} has one class only "
                f"({counts.index[0]!r}); classification needs at least two"
            )
    return y


@dataclass
class ColumnPlan:
    """What each column was inferred to be."""

    numeric: list = field(default_factory=list)
    categorical: list = field(default_factory=list)
    id_like: list = field(default_factory=list)
    dropped: dict = field(default_factory=dict)  # name -> reason
    categories: dict = field(default_factory=dict)  # categorical name -> levels seen
    dtypes: dict = field(default_factory=dict)

    @property
    def features(self):
        return self.numeric + self.categorical


def _is_id_like(name, col, n):
    import pandas as pd

    unique = col.nunique(dropna=True)
    if _ID_NAME.search(name) and unique >= 0.9 * col.notna().sum():
        return True
    if pd.api.types.is_numeric_dtype(col):
        values = col.dropna()
        if pd.api.types.is_integer_dtype(values) or (values == values.round()).all():
            return unique == n and n > 20 and values.is_monotonic_increasing
        return False
    return n > 20 and unique > 0.9 * n


def infer_columns(frame, target):
    """A :class:`ColumnPlan` for every column but ``target``."""
    import pandas as pd

    plan = ColumnPlan()
    n = len(frame)
    for name in frame.columns:
        if name == target:
            continue
        col = frame[name]
        plan.dtypes[name] = str(col.dtype)
        if col.isna().all():
            plan.dropped[name] = "all values missing"
        elif _is_id_like(name, col, n):
            plan.id_like.append(name)
        elif col.nunique(dropna=True) == 1:
            plan.dropped[name] = "a single value"
        elif pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            plan.numeric.append(name)
        else:
            plan.categorical.append(name)
            plan.categories[name] = sorted(col.dropna().astype(str).unique().tolist())
    if not plan.features:
        raise DataError(
            "no usable feature columns (all are the target, identifiers, empty or constant)"
        )
    return plan
