"""mnp.linalg: values equal numpy.linalg's; check_grads both modes to order 2 on the restricted
domains (SPD for cholesky, symmetric with distinct eigenvalues for eigh, distinct singular
values for svd, full rank for qr/pinv); closed-form matrix calculus; degenerate eigenvalues."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, grad, jacfwd, jacrev
from m4ml.linalg import LinAlgError
from tests.helpers import spd, well_conditioned

L = mnp.linalg


def _sym(a):
    return (a + a.T) / 2


CASES = {
    "det": (L.det, np.linalg.det),
    "logabsdet": (lambda a: L.slogdet(a)[1], lambda a: np.linalg.slogdet(a)[1]),
    "inv": (L.inv, np.linalg.inv),
    "solve_vec": (
        lambda a: L.solve(a, np.arange(3.0)),
        lambda a: np.linalg.solve(a, np.arange(3.0)),
    ),
    "solve_mat": (
        lambda a: L.solve(a, np.ones((3, 2))),
        lambda a: np.linalg.solve(a, np.ones((3, 2))),
    ),
    "cholesky": (
        lambda a: L.cholesky(a @ a.T + np.eye(3)),
        lambda a: np.linalg.cholesky(a @ a.T + np.eye(3)),
    ),
    "cholesky_upper": (
        lambda a: L.cholesky(a @ a.T + np.eye(3), upper=True),
        lambda a: np.linalg.cholesky(a @ a.T + np.eye(3)).T,
    ),
    "eigvals": (lambda a: L.eigh(_sym(a))[0], lambda a: np.linalg.eigh(_sym(a))[0]),
    "eigvecs": (lambda a: L.eigh(_sym(a))[1] ** 2, lambda a: np.linalg.eigh(_sym(a))[1] ** 2),
    "svals": (lambda a: L.svd(a, compute_uv=False), lambda a: np.linalg.svd(a, compute_uv=False)),
    "svd_u": (
        lambda a: L.svd(a, full_matrices=False)[0] ** 2,
        lambda a: np.linalg.svd(a, full_matrices=False)[0] ** 2,
    ),
    "svd_vt": (
        lambda a: L.svd(a, full_matrices=False)[2] ** 2,
        lambda a: np.linalg.svd(a, full_matrices=False)[2] ** 2,
    ),
    "qr_q": (lambda a: mnp.abs(L.qr(a)[0]), lambda a: np.abs(np.linalg.qr(a)[0])),
    "qr_r": (lambda a: mnp.abs(L.qr(a)[1]), lambda a: np.abs(np.linalg.qr(a)[1])),
    "pinv": (L.pinv, np.linalg.pinv),
    "norm": (L.norm, np.linalg.norm),
    "norm_nuc": (lambda a: L.norm(a, "nuc"), lambda a: np.linalg.norm(a, "nuc")),
    "norm_2": (lambda a: L.norm(a, 2), lambda a: np.linalg.norm(a, 2)),
    "norm_1": (lambda a: L.norm(a, 1), lambda a: np.linalg.norm(a, 1)),
    "norm_inf": (lambda a: L.norm(a, np.inf), lambda a: np.linalg.norm(a, np.inf)),
    "norm_rows": (lambda a: L.norm(a, axis=1), lambda a: np.linalg.norm(a, axis=1)),
    "norm_rows_3": (lambda a: L.norm(a, 3, axis=0), lambda a: np.linalg.norm(a, 3, axis=0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_linalg_values_and_grads(name, rng):
    a = well_conditioned(3, rng)
    f, ref = CASES[name]
    np.testing.assert_allclose(f(a), ref(a), rtol=1e-10, atol=1e-12)
    check_grads(f, (a,), order=2, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("shape", [(4, 3), (3, 4)], ids=str)
@pytest.mark.parametrize("name", ["svals", "svd_u", "svd_vt", "pinv", "norm_2"])
def test_rectangular(name, shape, rng):
    a = well_conditioned(shape[1], rng, m=shape[0])
    f, ref = CASES[name]
    np.testing.assert_allclose(f(a), ref(a), rtol=1e-10, atol=1e-12)
    check_grads(f, (a,), order=2, rtol=1e-4, atol=1e-5)


def test_tall_qr(rng):
    a = well_conditioned(3, rng, m=5)
    check_grads(lambda x: mnp.abs(L.qr(x)[0]), (a,), order=2, rtol=1e-4, atol=1e-5)
    with pytest.raises(NotImplementedError, match="m >= n"):
        grad(lambda x: mnp.sum(L.qr(x)[1]))(a.T)


def test_stacks_and_batched_rules(rng):
    a = np.stack([well_conditioned(3, rng) for _ in range(2)])
    for f in (L.det, L.inv, lambda x: L.slogdet(x)[1]):
        check_grads(f, (a,), order=1)
        np.testing.assert_allclose(jacfwd(f)(a), jacrev(f)(a), rtol=1e-10, atol=1e-12)
    s = np.stack([spd(3, rng) for _ in range(2)])
    check_grads(lambda x: L.eigh((x + mnp.swapaxes(x, -1, -2)) / 2)[0], (s,), order=1)
    check_grads(lambda x: L.cholesky(x @ mnp.swapaxes(x, -1, -2) + np.eye(3)), (s,), order=1)


def test_closed_form_matrix_calculus(rng):
    X = well_conditioned(4, rng)
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    inv = np.linalg.inv(X)
    np.testing.assert_allclose(grad(lambda M: L.slogdet(M)[1])(X), inv.T, rtol=1e-10)
    np.testing.assert_allclose(grad(L.det)(X), np.linalg.det(X) * inv.T, rtol=1e-10)
    np.testing.assert_allclose(grad(lambda M: mnp.trace(A @ M))(X), A.T, rtol=1e-12)
    np.testing.assert_allclose(grad(lambda v: 0.5 * v @ A @ v)(x), 0.5 * (A + A.T) @ x, rtol=1e-12)
    np.testing.assert_allclose(
        grad(lambda M: mnp.trace(L.inv(M) @ A))(X), -(inv @ A @ inv).T, rtol=1e-10
    )
    np.testing.assert_allclose(grad(lambda M: mnp.sum(M * M))(X), 2 * X)
    np.testing.assert_allclose(
        grad(lambda M: x @ L.solve(M, x))(X), -np.outer(inv.T @ x, inv @ x), rtol=1e-10
    )
    S = spd(4, rng)
    _, V = np.linalg.eigh(S)
    g = grad(lambda M: L.eigh(M)[0][-1])(S)  # reads the lower triangle only
    np.testing.assert_allclose((g + g.T) / 2, np.outer(V[:, -1], V[:, -1]), atol=1e-10)
    np.testing.assert_array_equal(np.triu(g, 1), 0.0)
    np.testing.assert_allclose(
        grad(lambda M: mnp.sum(L.svd(M, compute_uv=False)))(X),
        np.linalg.svd(X)[0] @ np.linalg.svd(X)[2],
        atol=1e-10,
    )


def test_degenerate_eigenvalues_give_finite_basis_invariant_gradients():
    a = np.diag([1.0, 2.0, 2.0])
    g = grad(lambda m: mnp.sum(L.eigh(m)[0] ** 2))(a)
    np.testing.assert_allclose(g, 2 * a, atol=1e-12)
    g = grad(lambda m: mnp.sum(L.eigh(m)[1][:, 1:] @ L.eigh(m)[1][:, 1:].T * np.eye(3)))(a)
    assert np.all(np.isfinite(g))


def test_float32_preserved(rng):
    a = well_conditioned(3, rng).astype(np.float32)
    assert grad(L.det)(a).dtype == np.float32
    assert L.inv(a).dtype == np.float32


def test_errors():
    with pytest.raises(LinAlgError, match="square"):
        L.det(np.ones((2, 3)))
    with pytest.raises(LinAlgError, match="square"):
        grad(lambda m: L.inv(m).sum())(np.ones((2, 3)))
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        grad(lambda m: mnp.sum(L.svd(m)[0]))(np.ones((3, 2)))
    with pytest.raises(ValueError, match="mode"):
        L.qr(np.eye(2), mode="economic")
    with pytest.raises(ValueError, match="ord"):
        L.norm(np.ones(3), ord="fro")
    with pytest.raises(ValueError, match="ord"):
        L.norm(np.ones((3, 3)), ord=3)
