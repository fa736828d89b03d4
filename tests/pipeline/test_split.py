import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import datasets
from sklearn import model_selection as skms

from m4ml.pipeline.split import (
    KFold,
    LeaveOneOut,
    ShuffleSplit,
    StratifiedKFold,
    train_test_split,
)


def _as_lists(splits):
    return [(train.tolist(), test.tolist()) for train, test in splits]


@pytest.mark.parametrize(
    ("n", "k"), [(n, k) for n in (2, 3, 7, 10, 150) for k in (2, 3, 5) if k <= n]
)
def test_kfold_matches_scikit_learn(n, k):
    X = np.zeros((n, 2))
    assert _as_lists(KFold(k).split(X)) == _as_lists(skms.KFold(k).split(X))


@pytest.mark.parametrize("loader", [datasets.load_iris, datasets.load_wine, datasets.load_digits])
@pytest.mark.parametrize("k", [2, 3, 5, 10])
def test_stratified_kfold_matches_scikit_learn_on_real_labels(loader, k):
    X, y = loader(return_X_y=True)
    assert _as_lists(StratifiedKFold(k).split(X, y)) == _as_lists(
        skms.StratifiedKFold(k).split(X, y)
    )


@settings(max_examples=40, deadline=None)
@given(
    labels=st.lists(st.sampled_from(["b", "a", "c", "zz"]), min_size=4, max_size=40),
    k=st.integers(2, 4),
)
def test_stratified_kfold_matches_scikit_learn_on_random_string_labels(labels, k):
    y = np.array(labels)
    X = np.zeros((y.size, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = _as_lists(skms.StratifiedKFold(k).split(X, y))
        except ValueError:
            with pytest.raises(ValueError, match="cannot be greater"):
                list(StratifiedKFold(k).split(X, y))
            return
        assert _as_lists(StratifiedKFold(k).split(X, y)) == expected


@pytest.mark.parametrize("cls", [KFold, StratifiedKFold])
def test_shuffled_folds_partition_the_samples_and_are_reproducible(cls):
    y = np.repeat([0, 1, 2], [10, 7, 5])
    X = np.zeros((y.size, 1))
    first = _as_lists(cls(4, shuffle=True, random_state=3).split(X, y))
    again = _as_lists(cls(4, shuffle=True, random_state=3).split(X, y))
    assert first == again
    tests = np.concatenate([np.array(test) for _, test in first])
    assert sorted(tests.tolist()) == list(range(y.size))
    for train, test in first:
        assert set(train).isdisjoint(test) and len(train) + len(test) == y.size
    assert first != _as_lists(cls(4).split(X, y))


def test_stratified_folds_keep_class_shares():
    y = np.repeat([0, 1], [40, 20])
    for _, test in StratifiedKFold(5, shuffle=True, random_state=0).split(y, y):
        assert np.bincount(y[test]).tolist() == [8, 4]


def test_kfold_errors():
    with pytest.raises(ValueError, match="at least 2"):
        list(KFold(1).split(range(5)))
    with pytest.raises(ValueError, match="greater than n_samples"):
        list(KFold(6).split(range(5)))
    with pytest.raises(ValueError, match="no effect when shuffle=False"):
        list(KFold(2, random_state=0).split(range(5)))
    with pytest.raises(TypeError, match="integer"):
        list(KFold(2.5).split(range(5)))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        list(KFold(2).split(range(5), range(4)))


def test_stratified_kfold_errors_and_warning():
    with pytest.raises(ValueError, match="needs the class labels"):
        list(StratifiedKFold(2).split(range(4), None))
    with pytest.raises(ValueError, match="continuous"):
        list(StratifiedKFold(2).split(range(4), [0.5, 1.5, 0.5, 2.5]))
    with pytest.warns(UserWarning, match="least populated class"):
        list(StratifiedKFold(3).split(range(7), [0, 0, 0, 0, 0, 1, 1]))


def test_single_class_in_a_fold_is_allowed():
    y = np.array([0] * 9 + [1])
    with pytest.warns(UserWarning):
        splits = list(StratifiedKFold(3).split(y, y))
    assert sum(1 in y[test] for _, test in splits) == 1


def test_shuffle_split_sizes_and_determinism():
    ss = ShuffleSplit(5, test_size=0.3, random_state=np.random.default_rng(0))
    assert ss.get_n_splits() == 5
    splits = list(ss.split(np.zeros((10, 1))))
    assert all((len(tr), len(te)) == (7, 3) for tr, te in splits)
    assert all(set(tr).isdisjoint(te) for tr, te in splits)
    default = list(ShuffleSplit(2, random_state=0).split(range(20)))
    assert [len(te) for _, te in default] == [2, 2]  # 10 % by default
    assert _as_lists(ShuffleSplit(2, random_state=1).split(range(9))) == _as_lists(
        ShuffleSplit(2, random_state=1).split(range(9))
    )
    with pytest.raises(ValueError, match="exceeds n_samples"):
        list(ShuffleSplit(2, test_size=6, train_size=6).split(range(10)))


def test_leave_one_out_matches_scikit_learn():
    X = np.zeros((5, 1))
    assert _as_lists(LeaveOneOut().split(X)) == _as_lists(skms.LeaveOneOut().split(X))
    assert LeaveOneOut().get_n_splits(X) == 5
    with pytest.raises(ValueError, match="at least 2"):
        list(LeaveOneOut().split(np.zeros((1, 1))))


def test_train_test_split_sizes_match_scikit_learn():
    for n in [4, 10, 11, 333]:
        X = np.arange(2 * n).reshape(n, 2)
        for kw in [{}, {"test_size": 0.33}, {"train_size": 0.5}, {"test_size": 3}]:
            ours = train_test_split(X, random_state=0, **kw)
            ref = skms.train_test_split(X, random_state=0, **kw)
            assert [a.shape for a in ours] == [a.shape for a in ref]


def test_train_test_split_keeps_rows_together_and_types():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": range(10), "b": range(10, 20)})
    y = list(range(10))
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=1)
    assert isinstance(X_tr, pd.DataFrame) and isinstance(y_tr, list)
    assert X_tr["a"].tolist() == y_tr and X_te["a"].tolist() == y_te
    assert sorted(y_tr + y_te) == y


def test_train_test_split_without_shuffle_takes_the_tail_as_test():
    a_tr, a_te = train_test_split(np.arange(10), shuffle=False, test_size=3)
    assert a_tr.tolist() == list(range(7)) and a_te.tolist() == [7, 8, 9]


def test_stratified_train_test_split_keeps_class_shares_on_penguins():
    pd = pytest.importorskip("pandas")
    from pathlib import Path

    df = pd.read_csv(Path(__file__).parent.parent / "data" / "penguins.csv")
    y = df["species"].to_numpy()
    _, _, y_tr, y_te = train_test_split(df, y, test_size=0.25, stratify=y, random_state=0)
    counts = pd.Series(y).value_counts()
    for label, c in counts.items():
        assert abs((y_te == label).sum() - 0.25 * c) <= 1
        assert (y_tr == label).sum() + (y_te == label).sum() == c


def test_train_test_split_errors():
    with pytest.raises(ValueError, match="at least one array"):
        train_test_split()
    with pytest.raises(ValueError, match="inconsistent"):
        train_test_split(np.zeros(4), np.zeros(5))
    with pytest.raises(ValueError, match="empty"):
        train_test_split(np.zeros(0))
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        train_test_split(np.zeros(10), test_size=1.5)
    with pytest.raises(ValueError, match="needs shuffle=True"):
        train_test_split(np.zeros(10), shuffle=False, stratify=np.zeros(10))
    with pytest.raises(ValueError, match="only 1 member"):
        train_test_split(np.zeros(5), stratify=[0, 0, 0, 0, 1])
    with pytest.raises(ValueError, match="one of the sets would be empty"):
        train_test_split(np.zeros(2), test_size=0.1, train_size=0.4)
