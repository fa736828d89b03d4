"""``m4ml predict MODEL DATA.csv``: predictions from a model written by ``m4ml fit``."""

import warnings

from m4ml.cli.console import err_console, out_console, safe
from m4ml.cli.errors import DataError

__all__ = ["check_schema", "run_predict"]


def check_schema(frame, metadata):
    """Raise a clear error when ``frame`` lacks fitted columns or holds text in numeric ones.

    Returns the list of extra columns (ignored).
    """
    import pandas as pd

    expected = [f["name"] for f in metadata["features"]]
    missing = [c for c in expected if c not in frame.columns]
    known = set(expected) | set(metadata.get("id_columns") or []) | {metadata["target"]}
    extra = [c for c in frame.columns if c not in known]
    if missing:
        msg = f"the CSV lacks column(s) the model was fitted on: {', '.join(missing)}"
        if extra:
            msg += f"; it has column(s) the model does not know: {', '.join(extra)}"
        raise DataError(msg)
    for f in metadata["features"]:
        col = frame[f["name"]]
        if f["kind"] == "numeric" and not pd.api.types.is_numeric_dtype(col):
            bad = col[pd.to_numeric(col, errors="coerce").isna() & col.notna()]
            raise DataError(
                f"column {f['name']!r} was numeric at fit time but holds text "
                f"(e.g. {str(bad.iloc[0])[:40]!r})"
            )
    return extra


def run_predict(model_path, data, *, out="predictions.csv", proba=False, force=False):
    """Write predictions for the rows of ``data``; return the exit code."""
    import numpy as np
    import pandas as pd

    from m4ml.cli.columns import read_csv
    from m4ml.cli.files import atomic_write, check_output_file, spreadsheet_safe
    from m4ml.cli.modelfile import load_model

    out_path = check_output_file(out, force)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        model, metadata = load_model(model_path)
    for w in caught:
        err_console().print(f"warning: {safe(w.message)}", markup=False)
    frame = read_csv(data)
    extra = check_schema(frame, metadata)
    if extra:
        err_console().print(
            f"note: ignoring column(s) not used by the model: {safe(', '.join(extra))}",
            markup=False,
        )
    features = frame[[f["name"] for f in metadata["features"]]]
    pred = model.predict(features)
    result = pd.DataFrame(
        {c: frame[c] for c in metadata.get("id_columns") or [] if c in frame.columns}
    )
    result["prediction"] = pred
    if proba:
        if metadata["task"] != "classification" or not hasattr(model, "predict_proba"):
            raise DataError(
                "--proba needs a classifier with probabilities; this model is a "
                f"{metadata['task']} model"
            )
        p = np.asarray(model.predict_proba(features))
        for j, c in enumerate(model.classes_):
            result[f"proba_{c}"] = p[:, j]
    result = result.map(spreadsheet_safe)
    result.columns = [spreadsheet_safe(c) for c in result.columns]
    atomic_write(out_path, result.to_csv(index=False))
    out_console().print(f"wrote {len(result)} predictions to {safe(out_path)}", markup=False)
    return 0
