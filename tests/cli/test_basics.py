"""The command line: help, version, exit codes, datasets, escaping and safe writes."""

import os
import subprocess
import sys

import pytest

import m4ml
from m4ml.cli import main
from m4ml.cli.console import safe
from m4ml.cli.errors import DataError
from m4ml.cli.files import atomic_write, check_output_file, spreadsheet_safe


def m4ml_run(*args, cwd=None, timeout=300):
    """``python -m m4ml args``: (exit code, stdout, stderr)."""
    env = {**os.environ, "COLUMNS": "120"}
    r = subprocess.run(
        [sys.executable, "-m", "m4ml", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
    )
    return r.returncode, r.stdout, r.stderr


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"m4ml {m4ml.__version__}"
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("report", "fit", "predict", "datasets", "tour"):
        assert command in out
    assert main([]) == 0  # no arguments: the help
    for command in ("report", "fit", "predict", "datasets", "tour"):
        assert main([command, "--help"]) == 0
    assert "--target" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--bogus"], "No such option"),
        (["frobnicate"], "No such command"),
        (["fit"], "Missing argument"),
        (["fit", "no-such-file.csv", "--target", "y"], "does not exist"),
        (["predict", "no-such-model", "x.csv"], "does not exist"),
        (["fit", "README.md"], "Missing option '--target'"),
        (["datasets", "nope"], "unknown dataset 'nope'"),
        (["datasets", "--csv", "x.csv"], "needs a dataset NAME"),
    ],
)
def test_usage_errors_exit_2_with_one_line(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1 and err.startswith("m4ml: error:")
    assert "Traceback" not in err


def test_usage_error_in_a_subprocess():
    code, _, err = m4ml_run("fit", "missing.csv", "--target", "y")
    assert code == 2 and "does not exist" in err and "Traceback" not in err


def test_datasets_list_describe_and_export(tmp_path, capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "penguins" in out and "Longley" in out
    assert main(["datasets", "penguins"]) == 0
    assert "344 rows" in capsys.readouterr().out
    target = tmp_path / "p.csv"
    assert main(["datasets", "penguins", "--csv", str(target)]) == 0
    import pandas as pd

    from m4ml.datasets import load_penguins

    pd.testing.assert_frame_equal(pd.read_csv(target), load_penguins())
    assert main(["datasets", "penguins", "--csv", str(target)]) == 1  # exists
    assert "use --force" in capsys.readouterr().err
    assert main(["datasets", "iris", "--csv", str(target), "--force"]) == 0
    assert pd.read_csv(target).shape == (150, 5)
    assert main(["datasets", "Longley", "--csv", str(tmp_path / "l.csv")]) == 0
    assert pd.read_csv(tmp_path / "l.csv").columns.tolist()[:2] == ["y", "x1"]


def test_symlinks_are_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    with pytest.raises(DataError, match="symbolic link"):
        check_output_file(link, force=True)
    with pytest.raises(DataError, match="symbolic link"):
        atomic_write(link, "x")
    assert victim.read_text() == "keep me"


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "a.txt"
    atomic_write(path, "one")
    atomic_write(path, b"two")
    assert path.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]

    with pytest.raises(TypeError):
        atomic_write(tmp_path / "b.txt", 3.5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_terminal_text_is_escaped():
    assert safe("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert safe("ok\nnext\u202e") == "ok\\x0anext\\x202e"
    from m4ml.cli.console import safe_text

    assert safe_text("[bold red]x[/]").plain == "[bold red]x[/]"  # not parsed as markup


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+A1", "'+A1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Adelie", "Adelie"),
        (-3.5, -3.5),
        ("", ""),
    ],
)
def test_spreadsheet_cells_are_neutralised(cell, expected):
    assert spreadsheet_safe(cell) == expected


def test_debug_shows_the_traceback():
    from m4ml.cli.errors import UsageProblem

    with pytest.raises(UsageProblem, match="unknown dataset"):
        main(["datasets", "nope", "--debug"])
    code, _, err = m4ml_run("--debug", "datasets", "nope")
    assert code != 0 and "Traceback" in err and "UsageProblem" in err
