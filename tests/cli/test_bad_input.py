"""Every bad-input case of ``m4ml fit`` / ``m4ml predict``: one stderr line, the right exit code,
no traceback. Each runs the real command in a subprocess.
"""

import pytest

from m4ml.cli.registry import MODELS, available
from tests.cli.conftest import m4ml_run


def assert_fails(result, code, fragment):
    rc, _, err = result
    assert rc == code, err
    assert fragment in err, err
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0, err  # one line


def test_missing_file(tmp_path):
    assert_fails(m4ml_run("fit", tmp_path / "nope.csv", "--target", "y"), 2, "does not exist")


def test_unreadable_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n\xff\xfe\x00\x81,\xc3\x28\n")
    assert_fails(m4ml_run("fit", bad, "--target", "a"), 1, "could not read")


def test_a_directory_is_not_a_csv(tmp_path):
    assert_fails(m4ml_run("fit", tmp_path, "--target", "a"), 2, "is a directory")


def test_empty_csv(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert_fails(m4ml_run("fit", empty, "--target", "y"), 1, "is empty")
    header = tmp_path / "header.csv"
    header.write_text("x,y\n")
    assert_fails(m4ml_run("fit", header, "--target", "y"), 1, "no data rows")


def test_unknown_target_suggests_close_names(penguins_csv, tmp_path):
    assert_fails(
        m4ml_run("fit", penguins_csv, "--target", "specie", "--out", tmp_path / "o"),
        2,
        "no column 'specie' in the CSV; did you mean 'species'",
    )


def test_all_nan_target(tmp_path):
    csv = tmp_path / "nan.csv"
    csv.write_text("x,y\n1,\n2,\n3,\n")
    assert_fails(m4ml_run("fit", csv, "--target", "y"), 1, "has no values (all missing)")


def test_one_class_only(tmp_path):
    csv = tmp_path / "one.csv"
    csv.write_text("x,y\n" + "".join(f"{i},a\n" for i in range(30)))
    assert_fails(m4ml_run("fit", csv, "--target", "y"), 1, "one class only")


def test_text_target_for_regression(penguins_csv, tmp_path):
    assert_fails(
        m4ml_run(
            "fit",
            penguins_csv,
            "--target",
            "species",
            "--task",
            "regression",
            "--out",
            tmp_path / "o",
        ),
        1,
        "regression needs a numeric target",
    )


def test_unknown_model_name(penguins_csv, tmp_path):
    assert_fails(
        m4ml_run(
            "fit",
            penguins_csv,
            "--target",
            "species",
            "--models",
            "logistic,forest",
            "--out",
            tmp_path / "o",
        ),
        2,
        "unknown model name(s) 'forest'",
    )


def test_model_for_the_wrong_task(penguins_csv, tmp_path):
    assert_fails(
        m4ml_run(
            "fit",
            penguins_csv,
            "--target",
            "species",
            "--models",
            "linear",
            "--out",
            tmp_path / "o",
        ),
        2,
        "do not apply to classification",
    )


def test_model_not_yet_available(penguins_csv, tmp_path):
    missing = [
        n
        for n, s in MODELS.items()
        if "classification" in s.builds and not available(n, "classification")
    ]
    if not missing:
        pytest.skip("every classification model has landed in m4ml.models")
    assert_fails(
        m4ml_run(
            "fit",
            penguins_csv,
            "--target",
            "species",
            "--models",
            missing[0],
            "--out",
            tmp_path / "o",
        ),
        1,
        "not yet available in this m4ml",
    )


def test_output_folder_exists(penguins_csv, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert_fails(
        m4ml_run("fit", penguins_csv, "--target", "species", "--out", out), 1, "exists; use --force"
    )


def test_model_file_that_is_not_one(penguins_csv, tmp_path):
    fake = tmp_path / "model.skops"
    fake.write_text("not a model")
    assert_fails(
        m4ml_run("predict", fake, penguins_csv, "--out", tmp_path / "p.csv"),
        1,
        "is not an m4ml model file",
    )
    assert_fails(
        m4ml_run("predict", tmp_path / "empty_dir_missing", penguins_csv), 2, "does not exist"
    )
    empty_dir = tmp_path / "d"
    empty_dir.mkdir()
    assert_fails(m4ml_run("predict", empty_dir, penguins_csv), 1, "holds no model.skops")


def test_predict_output_exists_or_is_a_symlink(penguins_csv, tmp_path, fitted_dir):
    target = tmp_path / "victim.csv"
    target.write_text("keep")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert_fails(m4ml_run("predict", fitted_dir, penguins_csv, "--out", link), 1, "symbolic link")
    assert_fails(
        m4ml_run("predict", fitted_dir, penguins_csv, "--out", target), 1, "exists; use --force"
    )
    assert target.read_text() == "keep"


@pytest.mark.slow
def test_columns_do_not_match_at_predict_time(penguins_csv, tmp_path, fitted_dir):
    import pandas as pd

    df = pd.read_csv(penguins_csv).drop(columns=["bill_length_mm", "island"])
    df["wingspan"] = 1.0
    csv = tmp_path / "other.csv"
    df.to_csv(csv, index=False)
    assert_fails(
        m4ml_run("predict", fitted_dir, csv, "--out", tmp_path / "p.csv"),
        1,
        "lacks column(s) the model was fitted on: bill_length_mm, island; it has "
        "column(s) the model does not know: wingspan",
    )
