import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("dask")

from m4ml import distributed as md
from m4ml import stats
from m4ml.stats.quantiles import QUANTILE_METHODS
from tests.distributed.conftest import CHUNKS, chunked

Q = [0.0, 0.01, 0.1, 0.25, 0.5, 0.77, 0.9, 0.999, 1.0]


def _slack(chunks, k):
    """E = sum over chunks of ceil(n_i / k) - 1 (the module docstring's bound)."""
    return sum(-(-c // k) - 1 for c in chunks if c)


def _assert_within_bound(approx, x, q, chunks, k, method="linear"):
    """Each estimate lies between x_(lo - ceil(E/2)) and x_(hi + ceil(E/2))."""
    n = x.shape[0]
    s = np.sort(x, axis=0)
    half = -(-_slack(chunks, k) // 2)
    lo, hi, _ = stats.building_blocks.quantile_positions(n, np.asarray(q), method)
    lower = s[np.maximum(lo - half, 0)]
    upper = s[np.minimum(hi + half, n - 1)]
    assert np.all(lower <= approx) and np.all(approx <= upper)


@pytest.fixture
def tied():
    """101 x 3: continuous, heavily tied (5 distinct values) and skewed columns."""
    rng = np.random.default_rng(3)
    return np.column_stack(
        [rng.normal(size=101), rng.integers(0, 5, 101).astype(float), rng.exponential(size=101)]
    )


@pytest.mark.parametrize("method", QUANTILE_METHODS)
def test_exact_equals_in_memory_for_every_method(tied, method):
    got = md.quantile(chunked(tied), Q, method=method, exact=True, summary_size=4)
    np.testing.assert_array_equal(got, stats.quantile(tied, Q, axis=0, method=method))


@pytest.mark.parametrize("k", [1, 2, 5, 13])
def test_exact_with_any_summary_size_and_shapes(tied, k):
    Xd = chunked(tied)
    np.testing.assert_array_equal(
        md.quantile(Xd, Q, axis=None, exact=True, summary_size=k), stats.quantile(tied, Q)
    )
    got = md.quantile(Xd[:, 0], 0.3, exact=True, summary_size=k)
    assert isinstance(got, float) and got == stats.quantile(tied[:, 0], 0.3)
    got = md.quantile(Xd, 0.3, exact=True, summary_size=k)
    np.testing.assert_array_equal(got, stats.quantile(tied, 0.3, axis=0))


@pytest.mark.parametrize("k", [1, 3, 10, 30])
@pytest.mark.parametrize("method", ["linear", "inverted_cdf", "nearest", "midpoint"])
def test_approximate_meets_its_rank_bound(tied, k, method):
    approx = md.quantile(chunked(tied), Q, method=method, summary_size=k)
    _assert_within_bound(approx, tied, Q, CHUNKS, k, method)


def test_extremes_exact_and_small_chunks_exact(tied):
    got = md.quantile(chunked(tied), [0.0, 1.0], summary_size=2)
    np.testing.assert_array_equal(got, [tied.min(axis=0), tied.max(axis=0)])
    # every chunk no longer than summary_size: E = 0, one pass gives the exact answer
    np.testing.assert_array_equal(
        md.quantile(chunked(tied), Q, summary_size=38), stats.quantile(tied, Q, axis=0)
    )


def test_approximation_error_is_real_and_shrinks_with_k():
    x = np.random.default_rng(0).permutation(10_000).astype(float)
    chunks = (1, 0, 4000, 2999, 0, 3000)
    truth = stats.quantile(x, 0.5)
    errs = [abs(md.quantile(chunked(x, chunks), 0.5, summary_size=k) - truth) for k in (5, 50)]
    # values are ranks, so a value error is a rank error: within ceil(E/2) each
    assert errs[0] <= -(-_slack(chunks, 5) // 2) + 1 and errs[1] <= -(-_slack(chunks, 50) // 2) + 1
    assert errs[0] > 0


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 60), min_size=1, max_size=7).filter(lambda s: sum(s) > 0),
    k=st.integers(1, 20),
    q=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_bound_and_exactness_on_random_chunkings(sizes, k, q, seed):
    x = np.random.default_rng(seed).standard_cauchy(sum(sizes)).round(1)[:, None]
    xd = chunked(x, tuple(sizes))
    _assert_within_bound(md.quantile(xd, q, summary_size=k), x, q, sizes, k)
    np.testing.assert_array_equal(
        md.quantile(xd, q, summary_size=k, exact=True), stats.quantile(x, q, axis=0)
    )


def test_numpy_input_is_one_block(tied):
    np.testing.assert_array_equal(
        md.quantile(tied, Q, exact=True, summary_size=3), stats.quantile(tied, Q, axis=0)
    )
    _assert_within_bound(md.quantile(tied, Q, summary_size=3), tied, Q, (101,), 3)


def test_nan_and_inf_raise_like_the_numpy_path(tied):
    bad = tied.copy()
    bad[40, 1] = np.nan
    with pytest.raises(ValueError, match="x contains NaN"):
        stats.quantile(bad, 0.5, axis=0)
    with pytest.raises(ValueError, match="x contains NaN"):
        md.quantile(chunked(bad), 0.5)
    bad[40, 1] = np.inf
    with pytest.raises(ValueError, match="x contains infinity"):
        md.quantile(chunked(bad), 0.5, exact=True)


def test_bad_arguments(tied):
    Xd = chunked(tied)
    with pytest.raises(ValueError, match="q must hold probabilities"):
        md.quantile(Xd, 1.5)
    with pytest.raises(ValueError, match="axis must be 0 or None"):
        md.quantile(Xd, 0.5, axis=1)
    with pytest.raises(ValueError, match="method must be one of"):
        md.quantile(Xd, 0.5, method="cubic")
    with pytest.raises(TypeError, match="summary_size must be an integer"):
        md.quantile(Xd, 0.5, summary_size=2.5)
    with pytest.raises(ValueError, match="summary_size must be >= 1"):
        md.quantile(Xd, 0.5, summary_size=0)
    with pytest.raises(ValueError, match="x is empty"):
        md.quantile(chunked(np.zeros((0, 2)), (0, 0)), 0.5)
