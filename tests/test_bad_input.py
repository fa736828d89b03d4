"""Every public callable, driven through bad and extreme inputs (see tests/_catalogue.py).

Each test drives one callable from a package's ``__all__`` (new functions and estimators are
covered as they are exported) and asserts that every outcome is a typed error raised by m4ml
(or by scikit-learn's input validation behind an estimator) or a finite result where one is
allowed — never a raw error from inside NumPy, a NaN/inf result, a leaked RuntimeWarning or a
hang. ``ALLOW`` lists the exceptions, each with the documented rule that makes it correct.
"""

import pytest

from tests import _catalogue

# name -> {"arg<i>=<variant>": why that outcome is the documented behaviour}
_ANY_DATA = "splits or passes through data of any dtype without computing with it (as sklearn)"
_STRINGS = "its samples are discrete labels, and strings are labels"
ALLOW = {
    "m4ml.pipeline.train_test_split": {
        f"arg0={v}": _ANY_DATA for v in ("nan", "inf", "string", "complex", "object")
    },
    "m4ml.pipeline.FunctionTransformer": {
        **{
            f"arg0={v}": "func=None is the identity on any input (scikit-learn's semantics)"
            for v in ("nan", "inf", "string", "none", "complex", "object")
        },
        "arg0=transform:n_features": "the identity has no fixed number of features",
    },
    "m4ml.pipeline.OneHotEncoder": {
        "arg0=string": "categories may be strings",
        "arg0=nan": "NaN is a category of its own, as in scikit-learn (categories_ holds it)",
    },
    "m4ml.pipeline.metrics.type_of_target": {
        f"arg0={v}": "describes any label array, strings and objects included"
        for v in ("string", "object")
    },
    "m4ml.pipeline.nan_euclidean_distances": {
        f"arg{i}=nan": "NaN marks a missing coordinate, which this distance skips" for i in (0, 1)
    },
    "m4ml.probability.mutual_information_from_samples": {
        f"arg{i}=string": _STRINGS for i in (0, 1)
    },
    "m4ml.pipeline.metrics.adjusted_rand_score": {
        f"arg{i}=string": "cluster labels may be strings" for i in (0, 1)
    },
    "m4ml.pipeline.mutual_info_classif": {"arg1=string": "class labels may be strings"},
    "m4ml.stats.bootstrap_ci": {
        f"arg1={v}": "scipy's rule: a degenerate bootstrap distribution gives a NaN BCa "
        "interval, with a DegenerateDataWarning saying to use method='percentile'"
        for v in ("ndim+", "subnormal")
    },
    "m4ml.stats.describe": {
        "arg0=huge": "the variance field of 1e308-scale data is beyond float64: inf, with a "
        "warning; every other field is exact"
    },
    "m4ml.stats.f_oneway": {
        f"arg{i}=huge": "the ANOVA table's sums of squares of 1e308-scale data are beyond "
        "float64: inf, with a warning; F, p, r_squared and residual_std are exact"
        for i in (0, 1)
    },
    "m4ml.optim.filter_normalized_direction": {
        "arg0=none": "None is a pytree with no leaves; its direction is the same empty pytree"
    },
    "m4ml.linalg.det": {
        "arg0=huge": "documented (as NumPy): a determinant beyond float64 overflows to inf; "
        "slogdet is the remedy the docstring names"
    },
    "m4ml.linalg.cond_estimate": {
        "arg0=singular": "a singular matrix has condition number inf, as numpy.linalg.cond"
    },
    "m4ml.linalg.slogdet": {
        "arg0=singular": "NumPy's convention: sign 0 and logabsdet -inf for a singular matrix"
    },
}

CALLABLES = sorted(
    ((name, obj) for name, obj in _catalogue.public_callables() if _catalogue.kind_of(obj)),
    key=lambda item: item[0],
)


@pytest.mark.parametrize(("name", "obj"), CALLABLES, ids=[name for name, _ in CALLABLES])
def test_bad_inputs_get_typed_errors_or_finite_results(name, obj):
    calls, failures = _catalogue.drive(obj)
    if failures is None:
        pytest.skip(f"{name}: no baseline call among the catalogue's candidates")
    allowed = ALLOW.get(name, {})
    unexpected = [
        f"arg{pos}={variant}: {kind}: {detail}"
        for variant, pos, kind, detail in failures
        if f"arg{pos}={variant}" not in allowed
    ]
    assert not unexpected, f"{name} ({calls} bad inputs):\n" + "\n".join(unexpected)


def test_allow_list_names_exist_and_are_used():
    names = {name for name, _ in CALLABLES}
    assert set(ALLOW) <= names, set(ALLOW) - names


def test_the_catalogue_covers_the_public_api():
    assert len(CALLABLES) >= 250
