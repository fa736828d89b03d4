"""The pipeline part of the tour: each step's output beside what it must satisfy."""

import numpy as np

from m4ml import pipeline as mp
from m4ml.pipeline import metrics as mm


def pipeline_checks():
    """Yield (label, value, check label, check value, agree) for m4ml.pipeline."""
    X = np.array([[1.0, 10.0], [2.0, np.nan], [3.0, 30.0], [np.nan, 40.0], [5.0, 50.0]])
    filled = mp.SimpleImputer(strategy="median").fit_transform(X)
    yield (
        "median imputation of column 2",
        filled[1, 1],
        "median of 10, 30, 40, 50",
        35.0,
        bool(filled[1, 1] == 35.0),
    )
    Z = mp.StandardScaler().fit_transform(filled)
    stats = [float(np.abs(Z.mean(axis=0)).max()), float(np.abs(Z.std(axis=0) - 1).max())]
    yield (
        "standardized: max |mean|, max |std - 1|",
        stats,
        "both 0",
        [0.0, 0.0],
        bool(max(stats) < 1e-12),
    )

    y = np.array(["a"] * 12 + ["b"] * 6)
    counts = [
        sorted(np.unique(y[test], return_counts=True)[1].tolist())
        for _, test in mp.StratifiedKFold(3).split(y, y)
    ]
    yield (
        "StratifiedKFold(3): class counts per fold",
        counts[0],
        "4 a's and 2 b's",
        [2, 4],
        all(c == [2, 4] for c in counts),
    )

    y_true = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    y_pred = np.array([1, 1, 1, 0, 1, 0, 0, 0, 0, 0])
    _, fp, fn, tp = mm.confusion_matrix(y_true, y_pred).ravel()
    f1 = mm.f1_score(y_true, y_pred)
    yield (
        "f1_score",
        f1,
        "2·TP / (2·TP + FP + FN)",
        2 * tp / (2 * tp + fp + fn),
        bool(abs(f1 - 2 * tp / (2 * tp + fp + fn)) < 1e-15),
    )
    score = np.array([0.9, 0.8, 0.7, 0.3, 0.6, 0.2, 0.1, 0.15, 0.05, 0.25])
    auc = mm.roc_auc_score(y_true, score)
    pairs = np.mean([s1 > s0 for s1 in score[y_true == 1] for s0 in score[y_true == 0]])
    yield (
        "roc_auc_score",
        auc,
        "P(pos. scored above neg.)",
        pairs,
        bool(abs(auc - pairs) < 1e-15),
    )
