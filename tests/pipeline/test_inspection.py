import numpy as np
import pytest
from sklearn import datasets
from sklearn import inspection as skin
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression

from m4ml.pipeline._feature_columns import _quantiles
from m4ml.pipeline.inspection import (
    coefficients_table,
    partial_dependence,
    permutation_importance,
)


@pytest.fixture(scope="module")
def iris_model():
    X, y = datasets.load_iris(return_X_y=True)
    return LogisticRegression(max_iter=500).fit(X, y), X, y


@pytest.mark.parametrize("features", [[0], [2], [0, 3]])
@pytest.mark.parametrize("kind", ["average", "individual", "both"])
def test_partial_dependence_matches_scikit_learn_brute(iris_model, features, kind):
    model, X, _ = iris_model
    ours = partial_dependence(model, X, features, kind=kind, grid_resolution=15)
    ref = skin.partial_dependence(model, X, features, kind=kind, method="brute", grid_resolution=15)
    for a, b in zip(ours.grid_values, ref["grid_values"]):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    for key in ("average", "individual"):
        assert (key in ours) == (key in ref)
        if key in ref:
            np.testing.assert_allclose(ours[key], ref[key], rtol=1e-12, atol=1e-15)


def test_partial_dependence_regressor_binary_and_dataframe():
    pd = pytest.importorskip("pandas")
    Xd, yd = datasets.load_diabetes(return_X_y=True, as_frame=True)
    model = GradientBoostingRegressor(n_estimators=10, random_state=0).fit(Xd, yd)
    ours = partial_dependence(model, Xd, "bmi")
    ref = skin.partial_dependence(model, Xd, ["bmi"], method="brute")
    np.testing.assert_allclose(ours.average, ref["average"], rtol=1e-12)
    X, y = datasets.load_breast_cancer(return_X_y=True)
    clf = LogisticRegression(max_iter=5000).fit(X[:, :5], y)
    ours = partial_dependence(clf, X[:, :5], [1], grid_resolution=10)
    ref = skin.partial_dependence(clf, X[:, :5], [1], method="brute", grid_resolution=10)
    assert ours.average.shape == (1, 10)  # binary: the positive class only
    np.testing.assert_allclose(ours.average, ref["average"], rtol=1e-12)
    assert isinstance(Xd, pd.DataFrame)


def test_partial_dependence_of_a_linear_model_is_its_slope():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 3))
    model = LinearRegression().fit(X, X @ [2.0, -1.0, 0.5] + 4.0)
    res = partial_dependence(model, X, [1], kind="both", grid_resolution=7)
    grid = res.grid_values[0]
    slope = np.diff(res.average[0]) / np.diff(grid)
    np.testing.assert_allclose(slope, -1.0, rtol=1e-10)
    # every ICE curve is the average shifted: parallel lines
    spread = res.individual[0] - res.average[0]
    np.testing.assert_allclose(spread - spread[:, :1], 0.0, atol=1e-10)


def test_categorical_feature_uses_its_categories(iris_model):
    model, X, _ = iris_model
    Xr = np.round(X)
    res = partial_dependence(model, Xr, [0], categorical_features=[0])
    np.testing.assert_array_equal(res.grid_values[0], np.unique(Xr[:, 0]))


def test_quantiles_are_cunnane_plotting_positions():
    x = np.arange(1.0, 11.0)  # n = 10
    # p = 0.5: h = 5 + 0.4 + 0.1 = 5.5 -> halfway between the 5th and 6th values
    assert _quantiles(x, [0.5])[0] == pytest.approx(5.5)
    np.testing.assert_allclose(_quantiles(x, [0.0, 1.0]), [1.0, 10.0])


def test_partial_dependence_errors(iris_model):
    model, X, _ = iris_model
    with pytest.raises(ValueError, match="kind must be"):
        partial_dependence(model, X, [0], kind="mean")
    with pytest.raises(ValueError, match="one or two features"):
        partial_dependence(model, X, [0, 1, 2])
    with pytest.raises(ValueError, match="out of range"):
        partial_dependence(model, X, [7])
    with pytest.raises(ValueError, match="has no column names"):
        partial_dependence(model, X, ["petal"])
    with pytest.raises(ValueError, match="grid_resolution"):
        partial_dependence(model, X, [0], grid_resolution=1)
    with pytest.raises(ValueError, match="percentiles"):
        partial_dependence(model, X, [0], percentiles=(0.9, 0.1))
    with pytest.raises(ValueError, match="needs a classifier"):
        partial_dependence(
            LinearRegression().fit(X, X[:, 0]), X, [0], response_method="predict_proba"
        )
    with pytest.raises(Exception, match="not fitted"):
        partial_dependence(LinearRegression(), X, [0])


def test_permutation_importance_matches_the_closed_form_for_a_linear_model():
    # y = b.x with independent standard features: shuffling x_j adds 2 b_j^2 to the MSE,
    # so the R^2 drop is 2 b_j^2 / var(y).
    rng = np.random.default_rng(1)
    b = np.array([3.0, 1.0, 0.0])
    X = rng.standard_normal((20000, 3))
    y = X @ b
    model = LinearRegression().fit(X, y)
    res = permutation_importance(model, X, y, n_repeats=4, random_state=0)
    expected = 2 * b**2 / y.var()
    np.testing.assert_allclose(res.importances_mean[:2], expected[:2], rtol=0.05)
    assert abs(res.importances_mean[2]) < 1e-12  # the model ignores x_2 exactly
    assert res.importances.shape == (3, 4)
    np.testing.assert_allclose(res.importances_std, res.importances.std(axis=1))


def test_permutation_importance_agrees_with_scikit_learn_on_average(iris_model):
    model, X, y = iris_model
    ours = permutation_importance(model, X, y, n_repeats=30, random_state=0)
    ref = skin.permutation_importance(model, X, y, n_repeats=30, random_state=0)
    # different random shuffles; the means agree within their Monte Carlo error
    se = np.hypot(ours.importances_std, ref.importances_std) / np.sqrt(30)
    assert np.all(np.abs(ours.importances_mean - ref.importances_mean) <= 4 * se + 1e-12)
    again = permutation_importance(model, X, y, n_repeats=30, random_state=0)
    np.testing.assert_array_equal(ours.importances, again.importances)


def test_permutation_importance_multi_metric_dataframe_and_subsampling(iris_model):
    pd = pytest.importorskip("pandas")
    _, X, y = iris_model
    Xdf = pd.DataFrame(X, columns=list("abcd"))
    model_df = LogisticRegression(max_iter=500).fit(Xdf, y)
    res = permutation_importance(
        model_df,
        Xdf,
        y,
        scoring=["accuracy", "f1_macro"],
        n_repeats=3,
        random_state=0,
        max_samples=0.5,
    )
    assert set(res) == {"accuracy", "f1_macro"}
    assert res["accuracy"].importances.shape == (4, 3)
    assert Xdf.shape == (150, 4)  # the caller's frame is untouched


def test_permutation_importance_errors(iris_model):
    model, X, y = iris_model
    with pytest.raises(ValueError, match="n_repeats"):
        permutation_importance(model, X, y, n_repeats=0)
    with pytest.raises(ValueError, match="max_samples"):
        permutation_importance(model, X, y, max_samples=1.5)
    with pytest.raises(ValueError, match="inconsistent"):
        permutation_importance(model, X, y[:-1])
    with pytest.raises(Exception, match="not fitted"):
        permutation_importance(LogisticRegression(), X, y)


def test_coefficients_table():
    pytest.importorskip("pandas")
    rng = np.random.default_rng(2)
    X = rng.standard_normal((100, 3)) * [1.0, 10.0, 0.1]
    model = LinearRegression().fit(X, X @ [1.0, 0.5, 20.0] + 3.0)
    t = coefficients_table(model, ["a", "b", "c"], X=X)
    assert t["feature"].tolist()[:3] == ["b", "c", "a"]  # 0.5*10 > 20*0.1 > 1*1
    np.testing.assert_allclose(t.set_index("feature").loc["c", "coefficient"], 20.0)
    assert t["feature"].iloc[-1] == "(intercept)"
    multi = coefficients_table(
        LogisticRegression(max_iter=500).fit(*datasets.load_iris(return_X_y=True))
    )
    assert set(multi["output"]) == {0, 1, 2} and len(multi) == 3 * 4 + 3
    with pytest.raises(TypeError, match="no coef_"):
        coefficients_table(GradientBoostingRegressor())
    with pytest.raises(ValueError, match="feature names"):
        coefficients_table(model, ["a"])
