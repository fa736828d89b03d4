"""How m4ml.distributed walks a matrix chunk by chunk (private).

Dask is the engine: it holds the row blocks, runs a Python function on each one (on threads,
processes or a cluster) and moves the small results. m4ml writes the two functions a reduction
needs — a *chunk* function from a block of rows to a small summary, and a *merge* function from
two summaries to one — and :func:`map_reduce` wires them into a balanced binary tree of tasks.
NumPy input is one block: the same chunk function, no merge, no Dask.
"""

import numpy as np

from m4ml._core import as_float_array

__all__ = [
    "apply_rows",
    "as_rows",
    "check_block",
    "is_dask",
    "map_reduce",
    "n_rows_blocks",
    "tree_merge",
]


def is_dask(x):
    """True for a ``dask.array.Array`` (checked without importing Dask)."""
    return type(x).__module__.startswith("dask.") and hasattr(x, "to_delayed")


def as_rows(x, name="X"):
    """A 2-D matrix (Dask or NumPy) with observations in rows, every column in one chunk.

    Dask DataFrames are converted with ``to_dask_array(lengths=True)``; 1-D input becomes one
    column.
    """
    if hasattr(x, "to_dask_array"):
        x = x.to_dask_array(lengths=True)
    if is_dask(x):
        if x.dtype.kind not in "biuf":
            kind = "complex" if x.dtype.kind == "c" else "non-numeric"
            raise TypeError(f"{name} must hold real numbers, got {kind} dtype {x.dtype}")
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2:
            raise ValueError(f"{name} must be 1-D or 2-D, got {x.ndim} dimensions")
        if any(np.isnan(c) for c in x.chunks[0]):
            raise ValueError(f"{name} has unknown chunk sizes; call compute_chunk_sizes() first")
        if len(x.chunks[1]) > 1:
            x = x.rechunk({1: -1})
        return x
    a = as_float_array(x, name, finite=False)  # complex, strings, objects, None: TypeError
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D, got {a.ndim} dimensions")
    return a


def check_block(block, name="X", magnitude=True):
    """``block`` as float64, or a ``ValueError`` if it holds NaN or infinity.

    With ``magnitude`` (for sums of squares and products) values beyond :math:`2^{500}` are
    rejected too.
    """
    b = as_float_array(block, name, min_ndim=2, max_ndim=2, finite=False)
    if not np.isfinite(b).all():
        what = "NaN" if np.isnan(b).any() else "infinity"
        raise ValueError(
            f"{name} contains {what} (in a chunk of {b.shape[0]} rows); m4ml.distributed does "
            "not drop missing values: impute or remove them first"
        )
    big = np.abs(b).max() if b.size and magnitude else 0.0
    if big > 2.0**500:  # as models._base.check_magnitude: products of such values overflow
        raise ValueError(
            f"{name} holds values up to {big:.3g} (in a chunk of {b.shape[0]} rows); their "
            "squares overflow float64: scale the data first"
        )
    return b


def n_rows_blocks(x):
    """Row counts of the blocks of ``x`` (one block for NumPy input)."""
    return list(x.chunks[0]) if is_dask(x) else [x.shape[0]]


def tree_merge(parts, merge):
    """Merge a list of summaries pairwise, level by level (a balanced binary tree)."""
    while len(parts) > 1:
        nxt = [merge(parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
        if len(parts) % 2:
            nxt.append(parts[-1])
        parts = nxt
    return parts[0]


def map_reduce(chunk, merge, *arrays):
    """``merge``-tree of ``chunk(block_1, ...)`` over the aligned row blocks of ``arrays``.

    Every array is 2-D (:func:`as_rows`); Dask arrays are split at the row chunks of the
    first. Returns the computed (NumPy) summary.
    """
    if not any(is_dask(a) for a in arrays):
        return chunk(*arrays)
    import dask
    import dask.array as da

    rows = next(a for a in arrays if is_dask(a)).chunks[0]
    blocks = []
    for a in arrays:
        a = da.asarray(a).rechunk({0: rows, 1: -1})
        blocks.append(a.to_delayed()[:, 0])
    parts = [dask.delayed(chunk)(*bs) for bs in zip(*blocks)]
    (result,) = dask.compute(tree_merge(parts, dask.delayed(merge)))
    return result


def apply_rows(func, x, n_out=None, dtype=np.float64):
    """``func`` (an in-memory ``predict``/``transform``) on every row block of ``x``.

    Dask input gives a lazy Dask array (``map_blocks``) with ``x``'s row chunks, 1-D when
    ``n_out`` is None else ``n_out`` columns; empty blocks give empty results without calling
    ``func`` (scikit-learn's validation rejects zero rows). NumPy input: ``func(x)``.
    """
    if hasattr(x, "to_dask_array"):
        x = x.to_dask_array(lengths=True)
    if not is_dask(x):
        return func(x)
    if x.ndim == 2 and len(x.chunks[1]) > 1:
        x = x.rechunk({1: -1})

    def block_func(block):
        if block.shape[0] == 0:
            return np.zeros((0,) if n_out is None else (0, n_out), dtype=dtype)
        return func(block)

    if n_out is None:
        return x.map_blocks(block_func, drop_axis=1, dtype=dtype)
    return x.map_blocks(block_func, chunks=(x.chunks[0], (n_out,)), dtype=dtype)
