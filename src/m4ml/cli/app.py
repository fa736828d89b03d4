"""The click command group. Each command imports its implementation only when it runs."""

import click

import m4ml

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(
    m4ml.__version__, "--version", prog_name="m4ml", message="%(prog)s %(version)s"
)
def cli():
    """m4ml: the mathematics of machine learning, checked live.

    Start with 'm4ml report' (the curriculum as one HTML page, every result beside an
    independent check) or 'm4ml fit DATA.csv --target COLUMN' (the whole pipeline on your
    data). Add --debug anywhere to see a traceback on failure.
    """


@cli.command(context_settings=CONTEXT)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default="m4ml-report.html",
    show_default=True,
    help="Where to write the HTML report.",
)
@click.option("--open", "open_", is_flag=True, help="Open the report in a browser when done.")
@click.option("--quick", is_flag=True, help="Smaller problems and fewer figures (~seconds).")
@click.option("--force", is_flag=True, help="Replace an existing report file.")
def report(out, open_, quick, force):
    """Write the curriculum as a self-contained HTML report, each value beside its check."""
    from m4ml.cli.report_cmd import run_report

    return run_report(out, open_=open_, quick=quick, force=force)


@cli.command(context_settings=CONTEXT)
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option("--target", required=True, help="The column to predict.")
@click.option(
    "--task",
    type=click.Choice(["classification", "regression"]),
    default=None,
    help="Override the inferred task.",
)
@click.option(
    "--models",
    default=None,
    help="Comma-separated candidates (dummy, linear, ridge, lasso, logistic, "
    "naive_bayes, svm, mlp, gmm); default: a sensible subset for the task.",
)
@click.option(
    "--test-size",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.2,
    show_default=True,
    help="Share of rows held out for the final test.",
)
@click.option(
    "--cv", type=click.IntRange(2, 50), default=5, show_default=True, help="Cross-validation folds."
)
@click.option("--search", is_flag=True, help="Tune the best model's hyper-parameters.")
@click.option(
    "--random-state",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Seed of every random choice.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False),
    default=None,
    help="Output folder (default ./m4ml-fit-<csv stem>/).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Reuse an existing output folder (replaces only m4ml's files in it).",
)
def fit(data, target, task, models, test_size, cv, search, random_state, out, force):
    """Fit, compare and explain models on a CSV; write the model, metrics and a report."""
    from m4ml.cli.fit_cmd import run_fit

    return run_fit(
        data,
        target=target,
        task=task,
        models=models,
        test_size=test_size,
        cv=cv,
        search=search,
        random_state=random_state,
        out=out,
        force=force,
    )


@cli.command(context_settings=CONTEXT)
@click.argument("model", type=click.Path(exists=True))
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default="predictions.csv",
    show_default=True,
    help="Where to write the predictions.",
)
@click.option("--proba", is_flag=True, help="Add a proba_<class> column per class.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def predict(model, data, out, proba, force):
    """Predict with a model written by 'm4ml fit' (its file or its folder)."""
    from m4ml.cli.predict_cmd import run_predict

    return run_predict(model, data, out=out, proba=proba, force=force)


@cli.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Export the dataset NAME to this CSV file.",
)
@click.option("--force", is_flag=True, help="Replace an existing CSV file.")
def datasets(name, csv_path, force):
    """List the bundled datasets, describe one, or export it with --csv."""
    from m4ml.cli.datasets_cmd import run_datasets

    return run_datasets(name, csv_path=csv_path, force=force)


@cli.command(context_settings=CONTEXT)
def tour():
    """Print the tour: one result per module, each beside an independent check."""
    from m4ml.tour import main as tour_main

    return tour_main()
