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


def test_python_dash_m_runs_the_tour():
    result = subprocess.run(
        [sys.executable, "-m", "m4ml"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "m4ml.linalg" in result.stdout and "all checks agree" in result.stdout
