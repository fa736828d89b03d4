import subprocess
import sys

import m4ml.tour as tour


def test_every_linalg_check_agrees(capsys):
    assert tour.main() == 0
    out = capsys.readouterr().out
    assert "all checks agree" in out
    assert "DISAGREES" not in out
    assert "det(A) by LU" in out


def test_a_disagreeing_check_is_reported(monkeypatch, capsys):
    def broken():
        yield "one plus one", 3, "two", 2, False

    monkeypatch.setattr(tour, "SECTIONS", [("broken", broken)])
    assert tour.main() == 1
    assert "1 check(s) disagree" in capsys.readouterr().out


def test_long_values_keep_columns_aligned():
    rows = [("a", "1", "b", "2", "agrees"), ("long label " * 3, "x" * 70, "c", "3", "agrees")]
    lines = tour.format_rows(rows, max_width=48)
    # every line's third column starts at the same offset
    starts = {line.index("b") for line in lines if " b " in line}
    starts |= {line.index(" c ") + 1 for line in lines if " c " in line}
    assert len(starts) == 1
    assert max(len(line) for line in lines) < 2 + 30 + 48 + 1 + 2 * 4 + 6 + 10


def test_the_tour_has_an_optimization_section(capsys):
    assert tour.main() == 0
    out = capsys.readouterr().out
    assert "m4ml.optim" in out and "Rosenbrock" in out and "duality gap" in out


def test_python_dash_m_runs_the_tour():
    result = subprocess.run(
        [sys.executable, "-m", "m4ml", "tour"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "m4ml.linalg" in result.stdout and "all checks agree" in result.stdout
