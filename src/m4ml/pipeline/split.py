"""Splitting data into training and test sets, and the cross-validation splitters.

Every splitter yields pairs ``(train_indices, test_indices)`` of integer arrays, as scikit-learn's
do, so they can be passed as ``cv=`` to scikit-learn's own searches as well as to m4ml's.

Without shuffling, :class:`KFold` and :class:`StratifiedKFold` produce exactly the folds
scikit-learn produces. With shuffling the folds follow the same rules but are drawn from a NumPy
``Generator`` (``random_state`` may be an int or a Generator), so they differ from scikit-learn's
``RandomState`` draws.
"""

import numbers
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from m4ml._core import check_rng
from m4ml._core.hints import ArrayLike, NDArray, Seed
from m4ml.pipeline._rows import _check_lengths, _n_samples, _take
from m4ml.pipeline._rows import check_target as check_target  # its former home, kept
from m4ml.pipeline._split_allocation import _encode_classes, _split_sizes, _stratified_indices


class _Splitter:
    """Shared plumbing: parameter display and the n_splits check."""

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def get_n_splits(
        self,
        X: ArrayLike | None = None,
        y: ArrayLike | None = None,
        groups: ArrayLike | None = None,
    ) -> int:
        """Number of (train, test) pairs ``split`` yields."""
        return self.n_splits


def _check_kfold_params(n_splits, shuffle, random_state):
    if isinstance(n_splits, bool) or not isinstance(n_splits, numbers.Integral):
        raise TypeError(f"n_splits must be an integer, got {type(n_splits).__name__}")
    if n_splits < 2:
        raise ValueError(f"n_splits must be at least 2, got {n_splits}")
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    if not shuffle and random_state is not None:
        raise ValueError("random_state has no effect when shuffle=False; leave it as None")


class KFold(_Splitter):
    """K consecutive folds; each is the test set once while the other K - 1 train.

    Parameters
    ----------
    n_splits : int, default 5
        Number of folds, at least 2 and at most the number of samples.
    shuffle : bool, default False
        Shuffle the samples once before cutting them into folds.
    random_state : None, int or numpy.random.Generator
        Seed of the shuffle (only with ``shuffle=True``).

    Notes
    -----
    With :math:`n` samples and :math:`K` folds, the first :math:`n \\bmod K` folds hold
    :math:`\\lfloor n/K \\rfloor + 1` samples and the others :math:`\\lfloor n/K \\rfloor`.

    Examples
    --------
    >>> [test.tolist() for _, test in KFold(3).split(range(7))]
    [[0, 1, 2], [3, 4], [5, 6]]
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: Seed = None):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def _test_folds(self, n):
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        folds = np.repeat(np.arange(self.n_splits), sizes)
        if self.shuffle:
            folds = folds[np.argsort(check_rng(self.random_state).permutation(n))]
        return folds

    def split(
        self, X: ArrayLike, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield ``(train, test)`` index arrays, one pair per fold."""
        _check_kfold_params(self.n_splits, self.shuffle, self.random_state)
        n = _check_lengths(X, y)
        if self.n_splits > n:
            raise ValueError(f"cannot have n_splits={self.n_splits} greater than n_samples={n}")
        yield from _folds_to_splits(self._test_folds(n), self.n_splits)


def _folds_to_splits(test_folds, n_splits):
    for k in range(n_splits):
        is_test = test_folds == k
        yield np.flatnonzero(~is_test), np.flatnonzero(is_test)


class StratifiedKFold(KFold):
    """K folds that keep each class's share of the samples in every fold.

    Parameters
    ----------
    n_splits : int, default 5
    shuffle : bool, default False
        Shuffle each class's samples before assigning them to folds.
    random_state : None, int or numpy.random.Generator

    Notes
    -----
    Deal the samples, sorted by class (classes in order of first appearance), to the folds in
    turn: fold :math:`i` receives the positions :math:`j \\equiv i \\pmod K`. Class :math:`k`
    occupies positions :math:`[a_k, b_k)` of that sorted list, so fold :math:`i` gets

    .. math:: m_{ik} = \\lceil (b_k - i)/K \\rceil - \\lceil (a_k - i)/K \\rceil

    of its samples; every fold's class counts differ by at most one from :math:`n_k / K`. Within
    a class, samples keep their order and fill fold 0 first, then fold 1, and so on (in random
    order with ``shuffle=True``). Without shuffling the folds are those of scikit-learn.

    Examples
    --------
    >>> y = ["a", "a", "a", "a", "b", "b"]
    >>> [test.tolist() for _, test in StratifiedKFold(2).split(y, y)]
    [[0, 1, 4], [2, 3, 5]]
    """

    def _test_folds(self, y):
        codes, counts = _encode_classes(y)
        K = self.n_splits
        if np.all(K > counts):
            raise ValueError(
                f"n_splits={K} cannot be greater than the number of members in each class "
                f"(largest class has {counts.max()})"
            )
        if K > counts.min():
            warnings.warn(
                f"the least populated class has only {counts.min()} members, fewer than "
                f"n_splits={K}",
                UserWarning,
                stacklevel=3,
            )
        b = np.cumsum(counts)
        a = b - counts
        i = np.arange(K)[:, None]
        alloc = -((i - b) // K) + ((i - a) // K)  # ceil((b-i)/K) - ceil((a-i)/K)
        labels = np.repeat(np.tile(np.arange(K), counts.size), alloc.T.ravel())
        if self.shuffle:
            rng = check_rng(self.random_state)
            for k in range(counts.size):
                rng.shuffle(labels[a[k] : b[k]])
        folds = np.empty(codes.size, dtype=np.intp)
        folds[np.argsort(codes, kind="stable")] = labels
        return folds

    def split(
        self, X: ArrayLike, y: ArrayLike, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield ``(train, test)`` index arrays; ``y`` holds the class labels."""
        _check_kfold_params(self.n_splits, self.shuffle, self.random_state)
        if y is None:
            raise ValueError("StratifiedKFold needs the class labels y")
        n = _check_lengths(X, y)
        if self.n_splits > n:
            raise ValueError(f"cannot have n_splits={self.n_splits} greater than n_samples={n}")
        yield from _folds_to_splits(self._test_folds(y), self.n_splits)


class ShuffleSplit(_Splitter):
    """Independent random train/test splits.

    Parameters
    ----------
    n_splits : int, default 10
    test_size, train_size : float, int or None
        Fraction (float in (0, 1)) or count (int) of samples; ``test_size`` defaults to 0.1
        when both are None, and the train set to the rest.
    random_state : None, int or numpy.random.Generator

    Examples
    --------
    >>> splits = list(ShuffleSplit(3, test_size=2, random_state=0).split(range(10)))
    >>> [(len(train), len(test)) for train, test in splits]
    [(8, 2), (8, 2), (8, 2)]
    """

    def __init__(
        self,
        n_splits: int = 10,
        *,
        test_size: float | int | None = None,
        train_size: float | int | None = None,
        random_state: Seed = None,
    ):
        self.n_splits = n_splits
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state

    def split(
        self, X: ArrayLike, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield ``n_splits`` random ``(train, test)`` pairs."""
        if isinstance(self.n_splits, bool) or not isinstance(self.n_splits, numbers.Integral):
            raise TypeError("n_splits must be an integer")
        if self.n_splits < 1:
            raise ValueError(f"n_splits must be at least 1, got {self.n_splits}")
        n = _check_lengths(X, y)
        n_test, n_train = _split_sizes(n, self.test_size, self.train_size, default_test=0.1)
        rng = check_rng(self.random_state)
        for _ in range(self.n_splits):
            perm = rng.permutation(n)
            yield perm[n_test : n_test + n_train], perm[:n_test]


class LeaveOneOut(_Splitter):
    """Each sample is the test set once; the other n - 1 train.

    Examples
    --------
    >>> [(train.tolist(), test.tolist()) for train, test in LeaveOneOut().split([7, 8, 9])]
    [([1, 2], [0]), ([0, 2], [1]), ([0, 1], [2])]
    """

    def __repr__(self):
        return "LeaveOneOut()"

    def get_n_splits(
        self,
        X: ArrayLike | None = None,
        y: ArrayLike | None = None,
        groups: ArrayLike | None = None,
    ) -> int:
        """The number of samples of ``X``."""
        if X is None:
            raise ValueError("LeaveOneOut needs X to know how many splits there are")
        return _n_samples(X)

    def split(
        self, X: ArrayLike, y: ArrayLike | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        """Yield ``(train, test)`` with a single test index, for every sample in turn."""
        n = _check_lengths(X, y)
        if n < 2:
            raise ValueError(f"LeaveOneOut needs at least 2 samples, got {n}")
        everything = np.arange(n)
        for i in range(n):
            yield np.delete(everything, i), np.array([i])


def train_test_split(
    *arrays: ArrayLike,
    test_size: float | int | None = None,
    train_size: float | int | None = None,
    random_state: Seed = None,
    shuffle: bool = True,
    stratify: ArrayLike | None = None,
) -> list[Any]:
    """Split arrays into random train and test subsets, optionally stratified.

    Parameters
    ----------
    *arrays : array-likes with the same number of rows
        NumPy arrays, lists, pandas DataFrames/Series (split by position, index kept).
    test_size, train_size : float, int or None
        Fraction (float in (0, 1)) or count (int); the test set defaults to 0.25 of the
        samples when both are None, and the train set to the rest. Fractions round the test
        set up and the train set down.
    random_state : None, int or numpy.random.Generator
    shuffle : bool, default True
        ``False`` takes the first samples for training and the last for testing.
    stratify : array-like or None
        Class labels: each class keeps (up to rounding) its share in both sets.

    Returns
    -------
    list
        ``[a_train, a_test, b_train, b_test, ...]``, two entries per input.

    Notes
    -----
    Stratification allocates :math:`n_{test} \\cdot n_k / n` test samples to class :math:`k`,
    rounding by largest remainder (ties broken at random) so the total is exact; the train
    set is allocated the same way from what remains.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(20).reshape(10, 2), np.array([0] * 6 + [1] * 4)
    >>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.5, stratify=y,
    ...                                           random_state=0)
    >>> X_tr.shape, X_te.shape, int(y_te.sum())
    ((5, 2), (5, 2), 2)
    """
    if not arrays:
        raise ValueError("train_test_split needs at least one array")
    n = _check_lengths(*arrays)
    if n == 0:
        raise ValueError("cannot split empty arrays (0 samples)")
    n_test, n_train = _split_sizes(n, test_size, train_size)
    if not shuffle:
        if stratify is not None:
            raise ValueError("stratified splitting needs shuffle=True")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    elif stratify is not None:
        _check_lengths(arrays[0], stratify)
        train, test = _stratified_indices(stratify, n_test, n_train, check_rng(random_state))
    else:
        perm = check_rng(random_state).permutation(n)
        test, train = perm[:n_test], perm[n_test : n_test + n_train]
    out = []
    for a in arrays:
        out += [_take(a, train), _take(a, test)]
    return out
