"""The report: its checks agree, its HTML is self-contained and escaped, pending stays pending."""

import re

import numpy as np
import pytest

from m4ml.report import build_report, render_report
from m4ml.report.chapters import CHAPTERS
from m4ml.report.chapters._common import Context, guarded, model_class
from m4ml.report.model import Check, Section, Table, agree, fmt, lre
from m4ml.report.render import CSP, mathml

pytest.importorskip("matplotlib")
pytest.importorskip("jinja2")


@pytest.fixture(scope="module")
def small():
    """Two cheap chapters, quick mode."""
    return build_report(quick=True, only={"introduction", "optimization"})


def test_chapters_follow_the_curriculum_order():
    anchors = [a for _, a in CHAPTERS]
    assert anchors == [
        "introduction",
        "linear-algebra",
        "calculus",
        "probability-statistics",
        "optimization",
        "advanced-topics",
        "applications",
    ]


def test_small_report_checks_agree(small):
    assert [ch.anchor for ch in small.chapters] == ["introduction", "optimization"]
    assert small.n_checks >= 8
    assert small.n_agree == small.n_checks, [c.label for c in small.checks if not c.ok]
    assert small.summary.startswith(f"{small.n_checks} of {small.n_checks} checks agree")


def test_html_is_self_contained_with_csp_and_mathml(small):
    html = render_report(small)
    from markupsafe import escape

    assert f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">' in html
    assert "script-src 'none'" in CSP
    assert "<script" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing fetched
    assert html.count("<math") >= 5
    assert html.count('src="data:image/png;base64,') >= 2
    for ch in small.chapters:
        assert f'id="{ch.anchor}"' in html and f'href="#{ch.anchor}"' in html
    assert f"{small.n_agree} of {small.n_checks} checks agree" in html


def test_data_derived_text_is_escaped():
    from m4ml.report.build import ReportResult
    from m4ml.report.model import Chapter

    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    section = Section(
        evil,
        "evil",
        text=evil,
        tables=[Table([evil], [[evil]])],
        checks=[Check(evil, evil, evil, evil, True)],
    )
    result = ReportResult([Chapter(evil, "ch", evil, [section])], True, 0)
    result.checks = section.checks
    html = render_report(result)
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_formula_converts_without_leftover_latex():
    import inspect
    import re

    from m4ml.report.render import _convert

    formulas = []
    for module, _ in CHAPTERS:
        source = inspect.getsource(module)
        for block in re.findall(r"formulas = \[(.*?)\]\n", source, flags=re.S):
            formulas += [
                "".join(re.findall(r'r"((?:[^"\\]|\\.)*)"', part)) for part in block.split('",\n')
            ]
    formulas = [f for f in formulas if f]
    assert len(formulas) >= 20
    for latex in formulas:
        text = re.sub(r"<[^>]+>", "", _convert(latex))
        assert "\\" not in text, (latex, text)


def test_mathml_comes_from_latex():
    out = str(mathml(r"\frac{a}{b}"))
    assert out.startswith("<math") and "<mfrac>" in out


def test_pending_sections_name_the_missing_model():
    from m4ml.report.chapters import models

    for section in models.build(Context(quick=True)):
        _, _, class_name, _ = next(s for s in models.SECTIONS if s[1] == section.anchor)
        if model_class(class_name) is None:
            assert section.pending and f"m4ml.models.{class_name}" in section.pending
            assert section.checks == [] and section.figures == []
        else:
            assert section.pending is None and section.checks
            assert all(c.ok for c in section.checks), [c.label for c in section.checks]


def test_model_class_never_substitutes():
    assert model_class("NoSuchEstimator") is None
    assert model_class("x", module="m4ml.no_such_module") is None


def test_a_failing_section_is_reported_not_raised():
    def boom(section, ctx):
        raise ValueError("broken on purpose")

    section = guarded("Boom", "boom", boom, Context())
    assert len(section.checks) == 1 and not section.checks[0].ok
    assert "ValueError" in section.checks[0].label


def test_helpers():
    assert agree([1.0, 2.0], [1.0, 2.0 + 1e-12], rtol=1e-10)
    assert not agree(1.0, 1.1, rtol=1e-3)
    assert lre(1.0, 1.0) == 15.0
    assert lre(1.001, 1.0) == pytest.approx(3.0)
    assert fmt(np.float64(0.5)) == "0.5" and fmt("x") == "x"


@pytest.mark.slow
def test_quick_report_every_check_agrees():
    result = build_report(quick=True)
    assert len(result.chapters) == len(CHAPTERS)
    bad = [c.label for c in result.checks if not c.ok]
    assert bad == []
    assert result.n_checks >= 40
    figures = sum(len(s.figures) for ch in result.chapters for s in ch.sections)
    non_pending = [s for ch in result.chapters for s in ch.sections if not s.pending]
    assert figures >= 10 and all(s.checks for s in non_pending)


def test_an_existing_report_is_kept_without_force(tmp_path, capsys):
    from m4ml.cli import main

    out = tmp_path / "r.html"
    out.write_text("mine")
    assert main(["report", "--quick", "--out", str(out)]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert out.read_text() == "mine"
    link = tmp_path / "link.html"
    link.symlink_to(out)
    assert main(["report", "--out", str(link), "--force"]) == 1
    assert "symbolic link" in capsys.readouterr().err and out.read_text() == "mine"


def test_sections_are_pending_while_their_model_is_missing(monkeypatch):
    from m4ml.report.chapters import applications, models

    monkeypatch.setattr(models, "model_class", lambda name, module="m4ml.models": None)
    monkeypatch.setattr(applications, "model_class", lambda name, module="m4ml.models": None)
    sections = models.build(Context(quick=True))
    assert [s.pending is not None for s in sections] == [True] * len(models.SECTIONS)
    assert "m4ml.models.SVC has not landed yet" in sections[1].pending
    assert all(s.checks == [] and s.figures == [] for s in sections)
    apps = applications.build(Context(quick=True))
    assert [s.pending is None for s in apps] == [True, False, False]
