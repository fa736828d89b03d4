r"""How many samples go where: train/test sizes and the per-class allocation of a stratified
split.

:func:`_split_sizes` turns ``test_size``/``train_size`` (fractions or counts) into counts with
scikit-learn's rounding (test up, train down). A stratified split allocates
:math:`n_{test} \cdot n_k / n` test samples to class :math:`k` by largest remainder (ties broken
at random), so the total is exact, then the train set the same way from what remains.
"""

import numbers

import numpy as np

from m4ml._core.validation import as_label_array


def _encode_classes(y):
    """Class codes 0..K-1 in order of first appearance, and the class counts."""
    y = as_label_array(y, "y", ndim=None)
    if y.ndim != 1:
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        else:
            raise ValueError(f"stratification needs a 1-D array of class labels, got {y.shape}")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError("class labels contain NaN or infinity")
        if np.any(y != np.round(y)):
            raise ValueError(
                "stratification needs class labels (binary or multiclass), got continuous values"
            )
    _, first, inverse = np.unique(y, return_index=True, return_inverse=True)
    rank = np.empty_like(first)
    rank[np.argsort(first)] = np.arange(first.size)  # sorted-label code -> appearance order
    codes = rank[inverse.ravel()]
    return codes, np.bincount(codes, minlength=first.size)


def _split_sizes(n, test_size, train_size, default_test=0.25):
    """Number of test and train samples, with scikit-learn's rounding (test up, train down)."""

    def check(value, name):
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a float in (0, 1), an int, or None")
        if isinstance(value, numbers.Integral):
            if not 0 < value < n:
                raise ValueError(f"{name}={value} must be between 1 and n_samples - 1 = {n - 1}")
        elif not 0.0 < value < 1.0:
            raise ValueError(f"{name}={value} must be strictly between 0 and 1 as a fraction")

    check(test_size, "test_size")
    check(train_size, "train_size")
    if test_size is None and train_size is None:
        test_size = default_test

    def count(value, rounding):
        return int(value) if isinstance(value, numbers.Integral) else int(rounding(value * n))

    n_test = count(test_size, np.ceil) if test_size is not None else None
    n_train = count(train_size, np.floor) if train_size is not None else None
    if n_test is None:
        n_test = n - n_train
    if n_train is None:
        n_train = n - n_test
    if n_train + n_test > n:
        raise ValueError(
            f"train_size + test_size = {n_train} + {n_test} samples exceeds n_samples = {n}"
        )
    if n_train == 0 or n_test == 0:
        raise ValueError(
            f"with n_samples={n}, test_size={test_size} and train_size={train_size} one of the "
            "sets would be empty; adjust the sizes"
        )
    return n_test, n_train


def _allocate(total, counts, rng):
    """Split ``total`` draws over classes in proportion to ``counts`` (largest remainder)."""
    share = total * counts / counts.sum()
    base = np.floor(share).astype(int)
    remainder = share - base
    short = total - base.sum()
    if short:
        # classes with the largest remainders get one more; ties are broken at random
        order = np.lexsort((rng.random(counts.size), -remainder))
        base[order[:short]] += 1
    return np.minimum(base, counts)


def _stratified_indices(y, n_test, n_train, rng):
    codes, counts = _encode_classes(y)
    if counts.min() < 2:
        raise ValueError(
            "the least populated class in y has only 1 member, too few to stratify; "
            "every class needs at least 2"
        )
    if n_test < counts.size or n_train < counts.size:
        raise ValueError(
            f"test and train sets need at least one sample per class ({counts.size} classes), "
            f"got test={n_test}, train={n_train}"
        )
    test_per_class = _allocate(n_test, counts, rng)
    train_per_class = _allocate(n_train, counts - test_per_class, rng)
    test, train = [], []
    for k in range(counts.size):
        members = rng.permutation(np.flatnonzero(codes == k))
        test.append(members[: test_per_class[k]])
        train.append(members[test_per_class[k] : test_per_class[k] + train_per_class[k]])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
