"""benchmarks/accuracy.json is current: a recomputation reproduces what the docs page shows.

The page "m4ml vs the production libraries" renders the committed JSON, so it must not drift
from the code: the data sets, methods and quantities must be exactly those the script computes
now, and recomputed LREs must agree with the committed ones. The tolerance (1 digit) absorbs
what a different BLAS or thread count changes in the last bits (an LRE of 13 is an error of
1e-13, where summation order shows); a change in an algorithm's accuracy shows as more.
"""

import json

import pytest
from benchmarks.accuracy import lre
from benchmarks.accuracy.build import FAMILIES, JSON, compute_family, family_names
from benchmarks.accuracy.nonlinear import METHODS as NONLINEAR_METHODS

from m4ml.datasets.nist import NIST_DATASETS

pytest.importorskip("statsmodels")
TOLERANCE = 1.0
DOC = json.loads(JSON.read_text(encoding="utf-8"))
REGENERATE = "stale benchmarks/accuracy.json: run `PYTHONPATH=src python -m benchmarks.accuracy`"


def _assert_close(fresh, committed, where):
    assert fresh.keys() == committed.keys(), (where, REGENERATE)
    for key, value in fresh.items():
        if isinstance(value, dict):
            _assert_close(value, committed[key], f"{where}/{key}")
        elif isinstance(value, list):
            assert len(value) == len(committed[key]), (where, key, REGENERATE)
            for new, old in zip(value, committed[key], strict=True):
                assert abs(new - old) <= TOLERANCE, (f"{where}/{key}", new, old, REGENERATE)
        else:
            assert value == committed[key], (where, key, REGENERATE)


def test_the_json_covers_every_shipped_nist_set_and_method():
    families = DOC["families"]
    assert set(families) == {*FAMILIES, "nonlinear_regression"}
    for family, (_, module, quantities) in FAMILIES.items():
        assert families[family]["methods"] == list(module.METHODS), REGENERATE
        assert families[family]["quantities"] == list(quantities), REGENERATE
        shipped = {name for name, kind in NIST_DATASETS.items() if kind == family}
        assert set(families[family]["datasets"]) == shipped, REGENERATE
    nonlinear = families["nonlinear_regression"]
    assert nonlinear["methods"] == list(NONLINEAR_METHODS)
    assert len(nonlinear["datasets"]) == 2 * len(family_names("nonlinear_regression"))


@pytest.mark.parametrize("family", list(FAMILIES))
def test_certified_lres_are_current(family):
    fresh = compute_family(family)
    _assert_close(fresh, DOC["families"][family]["datasets"], family)


def test_nonlinear_lres_are_current_on_a_subset():
    fresh = compute_family("nonlinear_regression", ["Misra1a", "DanWood", "BoxBOD"])
    committed = DOC["families"]["nonlinear_regression"]["datasets"]
    _assert_close(fresh, {k: committed[k] for k in fresh}, "nonlinear_regression")


def test_agreement_figures_are_current():
    from benchmarks.accuracy import agreement

    assert list(DOC["agreement"]) == list(agreement.GROUPS), REGENERATE
    for group in agreement.GROUPS:
        fresh, committed = agreement.run(group), DOC["agreement"][group]
        assert [r["name"] for r in fresh] == [r["name"] for r in committed], REGENERATE
        for new, old in zip(fresh, committed, strict=True):
            assert abs(new["digits"] - old["digits"]) <= 1.5, (group, new, old, REGENERATE)


def test_lre_definition():
    assert lre(1.0, 1.0) == [15.0]
    assert lre([1.0 + 1e-7, 2.0], [1.0, 2.0 + 2e-3]) == [7.0, 3.0]
    assert lre(1e-9, 0.0) == [9.0]  # a certified zero: the absolute error
    assert lre(float("nan"), 1.0) == [0.0]
    assert lre(5.0, 1.0) == [0.0]  # clipped below at zero
    with pytest.raises(ValueError, match="estimate has 2 values"):
        lre([1.0, 2.0], [1.0])
