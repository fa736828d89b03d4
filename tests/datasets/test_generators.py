"""Generators: the same geometry as scikit-learn's, reproducible seeds, clear errors."""

import numpy as np
import pytest
import sklearn.datasets as skd

from m4ml import datasets


@pytest.mark.parametrize("n", [2, 7, 100])
def test_moons_without_noise_are_sklearns_points(n):
    X, y = datasets.make_moons(n, shuffle=False)
    X_ref, y_ref = skd.make_moons(n, shuffle=False)
    np.testing.assert_allclose(X, X_ref, atol=1e-15)
    np.testing.assert_array_equal(y, y_ref)


@pytest.mark.parametrize("n", [2, 9, 100])
def test_circles_without_noise_are_sklearns_points(n):
    X, y = datasets.make_circles(n, shuffle=False, factor=0.3)
    X_ref, y_ref = skd.make_circles(n, shuffle=False, factor=0.3)
    np.testing.assert_allclose(X, X_ref, atol=1e-15)
    np.testing.assert_array_equal(y, y_ref)


def test_noise_has_the_requested_scale_and_seeds_reproduce():
    X0, _ = datasets.make_moons(4000, shuffle=False)
    X1, _ = datasets.make_moons(4000, shuffle=False, noise=0.1, random_state=1)
    assert np.std(X1 - X0) == pytest.approx(0.1, rel=0.05)
    X2, y2 = datasets.make_moons(4000, noise=0.1, random_state=3)
    X3, y3 = datasets.make_moons(4000, noise=0.1, random_state=3)
    np.testing.assert_array_equal(X2, X3)
    np.testing.assert_array_equal(y2, y3)
    assert np.bincount(y2).tolist() == [2000, 2000]


def test_blobs_means_and_spreads():
    centers = np.array([[0.0, 0.0, 0.0], [5.0, -5.0, 2.0]])
    X, y = datasets.make_blobs(4001, centers=centers, cluster_std=[0.5, 2.0], random_state=0)
    assert np.bincount(y).tolist() == [2001, 2000]
    for k, sd in enumerate([0.5, 2.0]):
        np.testing.assert_allclose(X[y == k].mean(axis=0), centers[k], atol=0.15)
        np.testing.assert_allclose(X[y == k].std(axis=0), sd, rtol=0.06)
    X, y, c = datasets.make_blobs(50, 4, centers=5, random_state=0, return_centers=True)
    assert X.shape == (50, 4) and c.shape == (5, 4) and ((c >= -10) & (c <= 10)).all()


def test_classification_structure():
    X, y = datasets.make_classification(
        3000,
        8,
        n_informative=3,
        n_redundant=2,
        n_classes=3,
        n_clusters_per_class=1,
        class_sep=2.0,
        flip_y=0.0,
        random_state=0,
    )
    assert X.shape == (3000, 8) and np.bincount(y).tolist() == [1000, 1000, 1000]
    # the redundant block lies in the span of the informative block
    assert np.linalg.matrix_rank(X[:, :5], tol=1e-8) == 3
    # the informative features separate the classes: class means differ by ~ 2 * class_sep
    means = np.array([X[y == k, :3].mean(axis=0) for k in range(3)])
    assert min(np.linalg.norm(means[i] - means[j]) for i in range(3) for j in range(i)) > 3
    # noise features carry no class information
    noise_means = np.array([X[y == k, 5:].mean(axis=0) for k in range(3)])
    assert np.abs(noise_means).max() < 0.15


def test_regression_is_exactly_linear_without_noise():
    X, y, w = datasets.make_regression(80, 6, n_informative=3, bias=-2.0, coef=True, random_state=0)
    np.testing.assert_allclose(X @ w - 2.0, y, rtol=1e-12)
    assert (w != 0).sum() == 3 and (w >= 0).all() and w.max() <= 100
    coef = np.linalg.lstsq(np.column_stack([np.ones(80), X]), y, rcond=None)[0]
    np.testing.assert_allclose(coef, np.r_[-2.0, w], atol=1e-9)
    _, y_noisy = datasets.make_regression(20000, 2, n_informative=0, noise=3.0, random_state=0)
    assert np.std(y_noisy) == pytest.approx(3.0, rel=0.03)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: datasets.make_moons(1), "n_samples"),
        (lambda: datasets.make_moons(10, noise=-1), "noise"),
        (lambda: datasets.make_circles(10, factor=1.5), "factor"),
        (lambda: datasets.make_blobs(10, centers=[1, 2]), "centers"),
        (lambda: datasets.make_blobs(10, cluster_std=-1.0), "cluster_std"),
        (lambda: datasets.make_classification(10, 3, n_informative=3, n_redundant=1), "<="),
        (lambda: datasets.make_classification(10, 5, n_informative=1, n_classes=3), "2\\*\\*"),
        (lambda: datasets.make_regression(10, 2, n_informative=3), "n_informative"),
        (lambda: datasets.make_moons(10, random_state=1.5), "rng"),
    ],
)
def test_bad_arguments_raise(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
