"""grid_search / random_search: exhaustive and reproducible search, distributions, errors."""

import itertools

import numpy as np
import pytest
from scipy import stats

from m4ml.optim.search import SearchResult, grid_search, random_search


def f(a, b):
    return (a - 1.5) ** 2 + abs(b - 2)


def test_grid_search_is_exhaustive_and_finds_the_minimum():
    space = {"a": [0.0, 1.0, 1.5, 3.0], "b": [1, 2, 3]}
    r = grid_search(f, space)
    assert r.best_params == {"a": 1.5, "b": 2} and r.best_value == 0.0
    assert len(r.table) == 12
    combos = [(row["a"], row["b"]) for row in r.table]
    assert combos == list(itertools.product(*space.values()))
    assert all(row["value"] == f(row["a"], row["b"]) for row in r.table)
    assert r.table[r.best_index]["value"] == r.best_value
    m = grid_search(f, space, maximize=True)
    assert m.best_params == {"a": 0.0, "b": 1}  # first of the four tied at 3.25
    assert m.best_value == max(row["value"] for row in r.table)


def test_ties_keep_the_first_and_nan_never_wins():
    r = grid_search(lambda x: 0.0 if x < 3 else np.nan, {"x": [5, 1, 2]})
    assert r.best_params == {"x": 1} and np.isnan(r.table[0]["value"])
    with pytest.raises(ValueError, match="NaN"):
        grid_search(lambda x: np.nan, {"x": [1, 2]})


def test_random_search_reproducible_with_distributions():
    space = {"a": stats.uniform(0, 3), "b": [1, 2, 3], "lr": stats.loguniform(1e-4, 1)}
    r1 = random_search(lambda a, b, lr: f(a, b) + lr, space, n_iter=40, rng=7)
    r2 = random_search(lambda a, b, lr: f(a, b) + lr, space, n_iter=40, rng=7)
    assert r1.table == r2.table and len(r1.table) == 40
    assert all(0 <= row["a"] <= 3 and 1e-4 <= row["lr"] <= 1 for row in r1.table)
    assert {row["b"] for row in r1.table} == {1, 2, 3}
    assert r1.best_value == min(row["value"] for row in r1.table)
    assert r1.best_value < 0.5
    r3 = random_search(lambda a, b, lr: f(a, b), space, n_iter=40, rng=8)
    assert r3.table != r1.table


def test_sample_protocol_and_frame():
    class Coin:
        def sample(self, rng):
            return rng.integers(0, 2)

    r = random_search(lambda c: -c, {"c": Coin()}, n_iter=30, rng=0)
    assert r.best_params == {"c": 1}
    df = r.to_frame()
    assert list(df.columns) == ["c", "value"] and len(df) == 30
    assert isinstance(r, SearchResult)


def test_errors():
    with pytest.raises(ValueError, match="non-empty dict"):
        grid_search(f, {})
    with pytest.raises(ValueError, match="no candidates"):
        grid_search(f, {"a": [], "b": [1]})
    with pytest.raises(TypeError, match="random_search"):
        grid_search(f, {"a": stats.norm(), "b": [1]})
    with pytest.raises(TypeError, match="list of candidates"):
        random_search(f, {"a": 3, "b": [1]})
    with pytest.raises(TypeError, match="real number"):
        grid_search(lambda a: "x", {"a": [1]})
    with pytest.raises(ValueError, match="n_iter"):
        random_search(f, {"a": [1], "b": [1]}, n_iter=0)
    with pytest.raises(TypeError, match="callable"):
        grid_search(3, {"a": [1]})
