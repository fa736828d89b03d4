"""``m4ml datasets [NAME] [--csv PATH]``: list, describe and export the bundled data."""

from m4ml.cli.console import out_console, safe_text
from m4ml.cli.errors import UsageProblem

__all__ = ["dataset_frame", "run_datasets"]


def dataset_frame(name):
    """The bundled dataset ``name`` as a pandas DataFrame, and its canonical name."""
    import pandas as pd

    from m4ml import datasets

    key = name.lower()
    if key == "penguins":
        return "penguins", datasets.load_penguins()
    if key in datasets.DATASETS:
        return key, getattr(datasets, f"load_{key}")(as_frame=True).frame
    try:
        nist = datasets.load_nist(name)
    except ValueError:
        known = ", ".join([*datasets.DATASETS, *datasets.NIST_DATASETS])
        raise UsageProblem(f"unknown dataset {name!r}; the bundled datasets are: {known}") from None
    if nist.kind == "linear_regression":
        cols = {"y": nist.y, **{f"x{j + 1}": nist.X[:, j] for j in range(nist.X.shape[1])}}
        frame = pd.DataFrame(cols)
    elif nist.kind == "anova":
        labels = [k + 1 for k, g in enumerate(nist.groups) for _ in g]
        frame = pd.DataFrame({"treatment": labels, "y": nist.y})
    else:
        frame = pd.DataFrame({"y": nist.y})
    return nist.name, frame


def run_datasets(name, *, csv_path=None, force=False):
    """List every dataset (no ``name``), describe one, or export it to ``csv_path``."""
    from rich.table import Table

    from m4ml import datasets

    console = out_console()
    if name is None:
        if csv_path is not None:
            raise UsageProblem("--csv needs a dataset NAME (see 'm4ml datasets')")
        table = Table(title="Bundled tables", title_justify="left")
        for col in ("name", "description", "source"):
            table.add_column(col)
        for key, (text, source) in datasets.DATASETS.items():
            table.add_row(key, text, source)
        console.print(table)
        nist = Table(title="NIST StRD sets with certified values (load_nist)", title_justify="left")
        nist.add_column("family")
        nist.add_column("names")
        for family in ("univariate", "linear_regression", "anova"):
            names = [k for k, v in datasets.NIST_DATASETS.items() if v == family]
            nist.add_row(family, ", ".join(names))
        console.print(nist)
        console.print("Export one with: m4ml datasets NAME --csv FILE.csv")
        return 0
    canonical, frame = dataset_frame(name)
    if csv_path is None:
        console.print(f"{canonical}: {frame.shape[0]} rows x {frame.shape[1]} columns")
        table = Table()
        for col in ("column", "dtype", "missing", "example"):
            table.add_column(col)
        for col in frame.columns:
            first = frame[col].dropna()
            table.add_row(
                safe_text(col),
                str(frame[col].dtype),
                str(int(frame[col].isna().sum())),
                safe_text(first.iloc[0] if len(first) else ""),
            )
        console.print(table)
        return 0
    from m4ml.cli.files import atomic_write, check_output_file

    path = check_output_file(csv_path, force)
    atomic_write(path, frame.to_csv(index=False))
    console.print(f"wrote {canonical} ({frame.shape[0]} rows) to {safe_text(path)}")
    return 0
