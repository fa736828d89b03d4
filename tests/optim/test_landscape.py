"""Loss landscapes: slices, filter normalization, the Hessian spectrum vs dense eigvalsh."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml import nn
from m4ml.autodiff import hessian, ravel_pytree
from m4ml.optim import (
    filter_normalized_direction,
    hessian_eigenvalues,
    hessian_spectral_density,
    hessian_trace,
    interpolate_losses,
    loss_slice_1d,
    loss_slice_2d,
    plot_loss_surface,
    plot_spectral_density,
)


def _network(hidden=50, d=30, k=10, n=200, seed=0):
    """A ~2,000-parameter tanh network (30-50-10: 2,060 parameters) and its loss."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, k, n)
    net = nn.Sequential(nn.Dense(hidden), nn.Activation("tanh"), nn.Dense(k))
    params, state = net.init(seed, (d,))

    def loss(p):
        return nn.cross_entropy_loss(net.apply(p, state, X)[0], y)

    return loss, params


@pytest.fixture(scope="module")
def dense_case():
    loss, params = _network()
    flat, unravel = ravel_pytree(params)
    H = np.asarray(hessian(lambda t: loss(unravel(t)))(flat))
    return loss, params, H


@pytest.mark.slow
def test_lanczos_top5_matches_dense_eigvalsh(dense_case):
    loss, params, H = dense_case
    assert H.shape == (2060, 2060)
    dense = np.linalg.eigvalsh(0.5 * (H + H.T))[::-1][:5]
    top = hessian_eigenvalues(loss, params, k=5, rng=0)
    np.testing.assert_allclose(top, dense, rtol=0, atol=1e-8)


@pytest.mark.slow
def test_hutchinson_trace_within_three_standard_errors(dense_case):
    loss, params, H = dense_case
    est, se = hessian_trace(loss, params, n_samples=60, rng=1)
    assert se > 0
    assert abs(est - np.trace(H)) <= 3 * se, (est, np.trace(H), se)


@pytest.mark.slow
def test_slq_density_matches_dense_spectrum(dense_case):
    loss, params, H = dense_case
    ev = np.linalg.eigvalsh(0.5 * (H + H.T))
    t, phi, nodes, weights = hessian_spectral_density(loss, params, n_iter=60, n_vectors=4,
                                                      rng=2)  # fmt: skip
    np.testing.assert_allclose(weights.sum(), 1.0, atol=1e-10)
    np.testing.assert_allclose(nodes.max(), ev.max(), rtol=1e-6)
    # the quadrature estimates the first moments (1/n) tr H^j
    for j in (1, 2):
        np.testing.assert_allclose(weights @ nodes**j, np.mean(ev**j), rtol=0.15)
    np.testing.assert_allclose(np.sum(phi) * (t[1] - t[0]), 1.0, atol=1e-3)


def test_lanczos_on_a_small_quadratic_with_eigenvectors():
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.normal(size=(12, 12)))
    lam = np.array([9.0, 9.0, 4.0, 2.0] + [0.5] * 8)  # a repeated top eigenvalue
    A = (Q * lam) @ Q.T

    def loss(p):
        return 0.5 * mnp.sum(p["w"] * (A @ p["w"]))

    vals, vecs = hessian_eigenvalues(loss, {"w": np.ones(12)}, k=3, rng=0,
                                     return_eigenvectors=True)  # fmt: skip
    # a single Krylov space sees a repeated eigenvalue once; the next distinct one follows
    np.testing.assert_allclose(vals[:2], [9.0, 4.0], atol=1e-10)
    np.testing.assert_allclose(A @ vecs[:, 0], 9.0 * vecs[:, 0], atol=1e-8)
    with pytest.raises(ValueError, match="k must be"):
        hessian_eigenvalues(loss, {"w": np.ones(12)}, k=13)
    with pytest.raises(ValueError, match="n_samples"):
        hessian_trace(loss, {"w": np.ones(12)}, n_samples=1)


def test_filter_normalization_and_slices():
    loss, params = _network(hidden=6, d=4, k=3, n=20)
    d = filter_normalized_direction(params, rng=0)
    W, dW = params[0]["W"], d[0]["W"]
    np.testing.assert_allclose(np.linalg.norm(dW, axis=0), np.linalg.norm(W, axis=0))
    assert not d[0]["b"].any()
    conv = {"W": np.random.default_rng(0).normal(size=(4, 2, 3, 3))}
    dc = filter_normalized_direction(conv, rng=1)["W"]
    np.testing.assert_allclose(np.linalg.norm(dc.reshape(4, -1), axis=1),
                               np.linalg.norm(conv["W"].reshape(4, -1), axis=1))  # fmt: skip
    line = loss_slice_1d(loss, params, np.array([-1.0, 0.0, 1.0]), direction=d)
    np.testing.assert_allclose(line[1], float(loss(params)))
    A, B, L = loss_slice_2d(loss, params, np.linspace(-1, 1, 5), np.linspace(-1, 1, 4), rng=0)
    assert L.shape == A.shape == B.shape == (4, 5)
    np.testing.assert_allclose(B[:, 0], np.linspace(-1, 1, 4))
    other = [{k: v + 0.1 for k, v in layer.items()} for layer in params]
    seg = interpolate_losses(loss, params, other, [0.0, 1.0])
    np.testing.assert_allclose(seg, [float(loss(params)), float(loss(other))])


def test_plots_return_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    A, B = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5))
    L = A**2 + 2 * B**2 + 0.1
    assert plot_loss_surface(A, B, L).get_xlabel() == r"$\alpha$"
    assert plot_loss_surface(A, B, L, kind="surface", log=True) is not None
    with pytest.raises(ValueError, match="kind"):
        plot_loss_surface(A, B, L, kind="heat")
    t = np.linspace(0, 1, 10)
    assert plot_spectral_density(t, np.exp(-t)).get_yscale() == "log"
    plt.close("all")


def _quadratic(w):  # Hessian 2I + 11^T, exact at any scale; its value overflows near 1e308
    return mnp.sum(w * w) + 0.5 * mnp.sum(w) ** 2


@pytest.mark.parametrize("scale", [1.0, 1e200, 1e308])
def test_hessian_tools_at_parameters_whose_loss_overflows(scale):
    # the loss's value overflowed inside the traced ops and leaked "overflow encountered in
    # multiply"; the Hessian-vector product never needs the value and is exact
    w = scale * np.array([-1.0, -0.5, 0.25, 1.0])
    np.testing.assert_allclose(hessian_eigenvalues(_quadratic, w, k=2, rng=0), [6.0, 2.0])
    exact = hessian_trace(_quadratic, np.array([-1.0, -0.5, 0.25, 1.0]), 10, rng=0)
    assert hessian_trace(_quadratic, w, 10, rng=0) == exact
    nodes = hessian_spectral_density(_quadratic, w, n_iter=4, n_vectors=2, rng=0)[2]
    np.testing.assert_allclose(np.sort(nodes), [2.0, 2.0, 6.0, 6.0])


@pytest.mark.parametrize(
    ("loss", "w"),
    [
        (lambda p: mnp.sum(p**4), np.full(3, 1e200)),  # 12 p^2 overflows: H is not representable
        (lambda p: mnp.sum(mnp.sqrt(p)), np.array([0.0, 1.0])),  # no derivative at 0
    ],
)
def test_hessian_tools_refuse_a_non_finite_hessian_vector_product(loss, w):
    for call in (
        lambda: hessian_eigenvalues(loss, w, k=1, rng=0),
        lambda: hessian_trace(loss, w, 4, rng=0),
        lambda: hessian_spectral_density(loss, w, n_iter=2, n_vectors=1, rng=0),
    ):
        with pytest.raises(ValueError, match="Hessian-vector product at params is not finite"):
            call()


def test_lanczos_norms_are_scaled_for_a_hessian_near_1e200():
    # beta_j = sqrt(w @ w) overflowed for ||Hv|| ~ 1e200: beta = inf, the next Lanczos vector 0
    # and the eigenvalues wrong without a warning
    c = np.array([5.0, 3.0, 1.0, 0.5]) * 1e200

    def loss(w):
        return 0.5 * mnp.sum(c * w * w)

    np.testing.assert_allclose(hessian_eigenvalues(loss, np.ones(4), k=2, rng=0), c[:2])
    nodes = hessian_spectral_density(loss, np.ones(4), n_iter=4, n_vectors=1, rng=0)[2]
    np.testing.assert_allclose(np.sort(nodes), np.sort(c), rtol=1e-12)
