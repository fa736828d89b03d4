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
    **{
        f"m4ml.{where}.f_oneway": {
            f"arg{i}=huge": "the ANOVA table's sums of squares of 1e308-scale data are beyond "
            "float64: inf, with a warning; F, p, r_squared and residual_std are exact"
            for i in (0, 1)
        }
        for where in ("stats", "distributed")
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

_CUSTOM = _catalogue.custom_names()  # per-callable baselines (tests/_baselines.py)
_SPLIT_X = "a splitter only counts the rows of X (scikit-learn's semantics): any dtype"
_ERROR_SCORE = (
    "X goes to the estimator untouched (a pipeline may impute NaN); a fit that fails is "
    "scored error_score=nan with a FitFailedWarning naming the error, as scikit-learn"
)
_LP = "P=None is a linear program (documented)"
_UNBOUNDED = (
    "documented: with P zero or singular along a recession direction the problem is unbounded "
    "below, so the dual is -inf (status 'unbounded' from solve_qp)"
)
_CANDIDATES = "candidate values go untouched to the objective: any object may be a value"
_IMPROPER = "an infinite limit is an improper integral (SciPy's quad semantics)"
ALLOW.update(
    {
        **{
            f"m4ml.pipeline.{cls}": {
                f"arg0={v}": _SPLIT_X for v in ("nan", "inf", "string", "complex", "object")
            }
            for cls in ("KFold", "LeaveOneOut", "ShuffleSplit", "StratifiedKFold")
        },
        **{
            f"m4ml.pipeline.{name}": {f"arg0={v}": _ERROR_SCORE for v in ("nan", "inf", "object")}
            for name in ("GridSearchCV", "RandomizedSearchCV", "cross_val_score", "cross_validate")
        },
        **{
            f"m4ml.pipeline.{name}": {
                f"arg0={v}": _CANDIDATES for v in ("nan", "inf", "string", "complex", "object")
            }
            for name in ("parameter_grid", "parameter_sample")
        },
        **{
            f"m4ml.optim.{name}": {f"arg0={v}": _CANDIDATES for v in ("nan", "inf", "object")}
            | {"arg0=huge": "the objective's own value at 1e308 is recorded as it returns it"}
            for name in ("grid_search", "random_search")
        },
        **{
            f"m4ml.calculus.{name}": {f"arg{i}=inf": _IMPROPER for i in (0, 1)}
            for name in ("dblquad", "tplquad", "nquad")
        },
        **{
            f"m4ml.optim.{name}": {"arg0=none": _LP}
            for name in ("primal_objective", "kkt_residuals")
        },
        **{
            f"m4ml.optim.{name}": {"arg0=none": _LP, "arg0=subnormal": _UNBOUNDED}
            | {"arg0=singular": _UNBOUNDED}
            for name in ("dual_function", "duality_gap", "solve_qp")
        },
    }
)
ALLOW["m4ml.pipeline.StratifiedKFold"]["arg0=none"] = (
    "y alone decides stratified folds; X=None is accepted, as in scikit-learn"
)
ALLOW["m4ml.pipeline.MissingIndicator"] = {
    f"arg0={v}": "flags missing entries of data of any dtype, strings and objects included "
    "(scikit-learn's semantics)"
    for v in ("string", "object")
}
ALLOW["m4ml.pipeline.OrdinalEncoder"] = {
    "arg0=string": "categories may be strings",
    "arg0=nan": "NaN is the missing category: categories_ holds it and it encodes to "
    "encoded_missing_value=nan, as scikit-learn",
}
ALLOW["m4ml.distributed.SimpleImputer"] = {
    "arg0=nan": "an imputer's purpose: NaN marks the entries to fill (its tags omit allow_nan)"
}
ALLOW["m4ml.linalg.matrix_power"] = {
    "arg0=huge": "raises m4ml's OverflowError (NumPy's type for a float result beyond range) "
    "saying A**n leaves float64"
}
ALLOW["m4ml.optim.clip_by_value"] = {
    "arg0=inf": "clipping maps +-inf gradients to the bounds, its purpose (as torch)",
    "arg0=none": "None is a pytree with no leaves; clipping it returns None",
}
ALLOW["m4ml.optim.curve_fit"] = {
    **{
        f"arg{i}={v}": "pcov is inf when the covariance cannot be estimated, with an "
        "OptimizeWarning (SciPy's convention)"
        for i, v in ((0, "ndim-"), (0, "subnormal"), (1, "ndim-"))
    },
    **{
        f"arg{i}=huge": "RuntimeError when the fit does not converge (SciPy's documented exception)"
        for i in (0, 1)
    },
}
ALLOW["m4ml.stats.DirichletMultinomialDistribution"] = {
    "arg1=inf": "inf is not a count vector: off the support, so logpmf is -inf (documented)"
}

# Defects found by the catalogue and not fixed yet: the test xfails while they remain and fails
# once one is fixed (so that its entry is removed).
KNOWN: dict[str, dict[str, str]] = {}

CALLABLES = sorted(
    (
        (name, obj)
        for name, obj in _catalogue.public_callables()
        if _catalogue.kind_of(obj) or name in _CUSTOM
    ),
    key=lambda item: item[0],
)


@pytest.mark.parametrize(("name", "obj"), CALLABLES, ids=[name for name, _ in CALLABLES])
def test_bad_inputs_get_typed_errors_or_finite_results(name, obj):
    calls, failures = _catalogue.drive(obj, name)
    if failures is None:
        pytest.skip(f"{name}: no baseline call among the catalogue's candidates")
    allowed, known = ALLOW.get(name, {}), KNOWN.get(name, {})
    keys = {f"arg{pos}={variant}" for variant, pos, _, _ in failures}
    unexpected = [
        f"arg{pos}={variant}: {kind}: {detail}"
        for variant, pos, kind, detail in failures
        if f"arg{pos}={variant}" not in allowed and f"arg{pos}={variant}" not in known
    ]
    assert not unexpected, f"{name} ({calls} bad inputs):\n" + "\n".join(unexpected)
    fixed = set(known) - keys
    assert not fixed, f"{name}: {sorted(fixed)} now pass: remove them from KNOWN"
    if known:
        pytest.xfail("; ".join(f"{k}: {why}" for k, why in known.items()))


def test_allow_list_names_exist_and_are_used():
    names = {name for name, _ in CALLABLES}
    assert set(ALLOW) <= names, set(ALLOW) - names
    assert set(KNOWN) <= names, set(KNOWN) - names


def test_the_catalogue_covers_the_public_api():
    assert len(CALLABLES) >= 250
