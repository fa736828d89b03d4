r"""Maximum-likelihood estimation of a Markov chain from observed paths (``MarkovChain.fit``).

A mixin of :class:`m4ml.probability.markov.MarkovChain`: the transition counts of the paths
give the maximum-likelihood transition matrix, optionally smoothed.
"""

from collections.abc import Hashable, Sequence
from typing import Literal, Self

import numpy as np

from m4ml._core.hints import ArrayLike

__all__ = ["MarkovFit"]


class MarkovFit:
    """Provides the class method ``fit`` to :class:`~m4ml.probability.markov.MarkovChain`."""

    @classmethod
    def fit(
        cls,
        sequences: Sequence[Hashable] | Sequence[Sequence[Hashable]] | ArrayLike,
        smoothing: float = 0.0,
        *,
        states: Sequence[Hashable] | None = None,
        unobserved: Literal["raise", "absorbing", "uniform"] = "raise",
    ) -> Self:
        r"""Maximum-likelihood transition matrix from observed sequences.

        Parameters
        ----------
        sequences : sequence or list of sequences
            One observed path (a list or 1-D array of labels), or several: a list of lists or
            arrays, or a 2-D array whose rows are paths. Transitions are counted within each
            path, never across the end of one and the start of the next.
        smoothing : float, default 0
            Additive (Laplace) pseudo-count :math:`\alpha \ge 0` added to every transition.
        states : sequence of hashable, optional
            All state labels, in order (default: the distinct labels seen, sorted when they
            are comparable, else in order of first appearance).
        unobserved : {"raise", "absorbing", "uniform"}
            What to do, when ``smoothing == 0``, with a state that is never *left* in the data
            (it occurs only at the ends of paths, or only in ``states``): its row has no
            maximum-likelihood estimate. ``"raise"`` (default) names those states;
            ``"absorbing"`` makes them absorbing; ``"uniform"`` gives them uniform rows.

        Returns
        -------
        MarkovChain

        Raises
        ------
        ValueError
            Empty data, a label not in ``states``, negative ``smoothing``, bad
            ``unobserved``, or states never left with ``unobserved="raise"``.

        Notes
        -----
        With transition counts :math:`n_{ij}`, the log-likelihood :math:`\sum_{ij} n_{ij}
        \log P_{ij}` under :math:`\sum_j P_{ij} = 1` is maximized by :math:`\hat P_{ij} =
        n_{ij} / n_{i\cdot}`; smoothing gives :math:`(n_{ij} + \alpha) / (n_{i\cdot} +
        k\alpha)`, the posterior mean under a symmetric Dirichlet(:math:`\alpha`) prior on
        each row (:math:`\alpha = 1`: Laplace's rule of succession). Counting is one
        ``bincount`` over the flattened index pairs.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> chain = MarkovChain.fit(["a", "a", "b", "a", "b", "b", "a"])
        >>> chain.states
        ['a', 'b']
        >>> chain.P
        array([[0.33333333, 0.66666667],
               [0.66666667, 0.33333333]])
        """
        if unobserved not in ("raise", "absorbing", "uniform"):
            raise ValueError(
                f"unobserved must be 'raise', 'absorbing' or 'uniform', got {unobserved!r}"
            )
        if isinstance(smoothing, bool) or not np.isscalar(smoothing):
            raise TypeError("smoothing must be a non-negative number")
        if not (np.isfinite(smoothing) and smoothing >= 0):
            raise ValueError(f"smoothing must be a finite number >= 0, got {smoothing!r}")
        paths = _as_paths(sequences)
        labels = _labels_seen(paths) if states is None else list(states)
        lookup = {s: i for i, s in enumerate(labels)}
        if len(lookup) != len(labels):
            raise ValueError("state labels must be distinct")
        n = len(labels)
        src, dst = [], []
        for path in paths:
            try:
                idx = np.fromiter((lookup[x] for x in path), dtype=np.intp, count=len(path))
            except KeyError as exc:
                raise ValueError(f"{exc.args[0]!r} is not in states") from None
            src.append(idx[:-1])
            dst.append(idx[1:])
        src, dst = np.concatenate(src), np.concatenate(dst)
        counts = np.bincount(src * n + dst, minlength=n * n).reshape(n, n).astype(float)
        counts += smoothing
        totals = counts.sum(axis=1)
        never = np.flatnonzero(totals == 0)
        if never.size:
            if unobserved == "raise":
                raise ValueError(
                    f"states {[labels[i] for i in never]!r} are never left in the data, so "
                    "their transitions have no estimate; pass smoothing > 0 or "
                    "unobserved='absorbing' or 'uniform'"
                )
            if unobserved == "absorbing":
                counts[never, never] = 1.0
            else:
                counts[never] = 1.0
            totals = counts.sum(axis=1)
        return cls(counts / totals[:, None], states=labels)


def _as_paths(sequences):
    """One path or a list of paths, as a list of lists of labels (each non-empty)."""
    if isinstance(sequences, np.ndarray):
        if sequences.ndim not in (1, 2):
            raise ValueError(f"sequences must be 1-D or 2-D, got shape {sequences.shape}")
        paths = [sequences.tolist()] if sequences.ndim == 1 else sequences.tolist()
    else:
        seq = list(sequences)
        nested = seq and all(isinstance(x, list | np.ndarray) for x in seq)
        paths = [list(np.asarray(x).tolist()) for x in seq] if nested else [seq]
    if not paths or not any(len(p) > 1 for p in paths):
        raise ValueError("sequences must contain at least one path with a transition")
    return [p for p in paths if len(p)]


def _labels_seen(paths):
    """The distinct labels of ``paths``, sorted if they can be, else in order of appearance."""
    seen = dict.fromkeys(x for path in paths for x in path)
    try:
        return sorted(seen)
    except TypeError:
        return list(seen)
