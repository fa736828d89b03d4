"""eigh and eig as primitives with two results: UPLO honoured, the gradient of the function as
computed (one triangle read), close eigenvalues following 1/(w_j - w_i), NaN for
basis-dependent functions at exactly repeated eigenvalues; eig against finite differences."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, grad, jacfwd, jacrev, jvp
from m4ml.calculus import gradient_fd

L = mnp.linalg
A = np.array([[2.0, -1.3, 0.4], [0.7, 1.0, 0.2], [-0.5, 0.9, -1.5]])  # not symmetric


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_reads_the_named_triangle(uplo):
    w, v = L.eigh(A, UPLO=uplo)
    wr, vr = np.linalg.eigh(A, UPLO=uplo)
    np.testing.assert_allclose(w, wr, rtol=1e-13)
    np.testing.assert_allclose(np.abs(v), np.abs(vr), rtol=1e-12, atol=1e-13)
    assert not np.allclose(L.eigh(A, "L")[0], L.eigh(A, "U")[0])


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_gradient_is_that_of_the_function_as_computed(uplo):
    def f(m):
        w, v = L.eigh(m, UPLO=uplo)
        return mnp.sum(w * np.arange(1.0, 4.0)) + mnp.sum(v[:, 0] ** 4)

    g = grad(f)(A)
    fd = gradient_fd(lambda m: float(f(m)), A)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-7)
    unread = np.triu(g, 1) if uplo == "L" else np.tril(g, -1)
    np.testing.assert_array_equal(unread, 0.0)
    check_grads(f, (A,), order=2, rtol=1e-4, atol=1e-6)


def test_issue_11_lower_and_upper_directions():
    # along a lower-only direction the derivative is the full finite difference, along an
    # upper-only direction it is 0 (the upper triangle is not read)
    def f(m):
        return L.eigh(m)[0][-1] * 2.0 + L.eigh(m)[0][0]

    lower = np.zeros((3, 3))
    lower[2, 0] = 1.0
    upper = lower.T
    h = 1e-6
    for d in (lower, upper):
        fd = (f(A + h * d) - f(A - h * d)) / (2 * h)
        np.testing.assert_allclose(np.sum(grad(f)(A) * d), fd, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(jvp(f, (A,), (d,))[1], fd, rtol=1e-6, atol=1e-9)
    assert abs(np.sum(grad(f)(A) * upper)) == 0.0


def test_close_eigenvalues_follow_the_mathematics():
    # issue 9: a gap of 1e-10 * max|w|; the derivative of a function of the eigenvectors is
    # ~ 1/gap, as finite differences (and autograd) give
    gap = 1e-10
    q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((3, 3)))
    S = q @ np.diag([1.0, 1.0 + gap, 3.0]) @ q.T
    S = (S + S.T) / 2
    direction = np.outer(q[:, 0], q[:, 1]) + np.outer(q[:, 1], q[:, 0])

    def f(m):
        return L.eigh(m)[1][0, 0] ** 2

    rev = np.sum(grad(f)(S) * direction)
    fwd = jvp(f, (S,), (direction,))[1]
    h = gap * 1e-3
    fd = (f(S + h * direction) - f(S - h * direction)) / (2 * h)
    assert abs(fd) > 1e7
    # the computed eigenvectors of the close pair carry errors ~ eps/gap = 1e-6, and the
    # finite-difference step moves them by h/gap = 1e-3: finite differences are good to ~1e-3
    np.testing.assert_allclose(rev, fd, rtol=1e-2)
    np.testing.assert_allclose(fwd, rev, rtol=1e-8)


def test_repeated_eigenvalues():
    a = np.diag([1.0, 2.0, 2.0])
    # basis-invariant functions: exact finite gradients
    g = grad(lambda m: mnp.sum(L.eigh(m)[0] ** 2))(a)
    np.testing.assert_allclose(g, 2 * a, atol=1e-12)
    proj = grad(
        lambda m: mnp.trace(L.eigh(m)[1][:, 1:] @ L.eigh(m)[1][:, 1:].T @ np.diag([1.0, 2, 3]))
    )(a)
    assert np.all(np.isfinite(proj))
    # a function of one eigenvector of the repeated eigenvalue has no derivative: NaN
    g = grad(lambda m: L.eigh(m)[1][1, 1] * L.eigh(m)[1][2, 1])(a)
    assert np.isnan(g).any()


B = np.array([[2.0, -1.3, 0.4], [0.7, -1.0, 0.2], [-0.5, 0.9, 4.0]])  # real spectrum


def test_eig_values_and_derivatives():
    w, v = L.eig(B)
    wr = np.linalg.eigvals(B)
    np.testing.assert_allclose(np.sort(w), np.sort(wr), rtol=1e-12)
    np.testing.assert_allclose(B @ v, v * w, atol=1e-12)

    def f(m):
        w, v = L.eig(m)
        return mnp.sum(w**2 * np.arange(1.0, 4.0)) + mnp.sum(v**2 * np.arange(9.0).reshape(3, 3))

    check_grads(f, (B,), order=2, rtol=1e-4, atol=1e-6)
    g = jacrev(lambda m: L.eig(m)[1])(B)
    np.testing.assert_allclose(g, jacfwd(lambda m: L.eig(m)[1])(B), rtol=1e-10, atol=1e-12)


def test_eig_complex_spectrum():
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert np.iscomplexobj(L.eig(rot)[0])
    with pytest.raises(NotImplementedError, match="complex"):
        grad(lambda m: mnp.sum(L.eig(m)[0]))(rot)


def test_multiple_results_use_only_what_is_needed():
    # only U used: the cotangents of s and Vt are zeros, batched rules agree
    m = np.random.default_rng(3).standard_normal((4, 3))
    f = lambda a: L.svd(a, full_matrices=False)[0][:, 0] ** 2  # noqa: E731
    np.testing.assert_allclose(jacfwd(f)(m), jacrev(f)(m), rtol=1e-9, atol=1e-12)
    q = lambda a: L.qr(a)[1]  # noqa: E731
    np.testing.assert_allclose(jacfwd(q)(m), jacrev(q)(m), rtol=1e-9, atol=1e-12)


def test_errors():
    with pytest.raises(ValueError, match="UPLO"):
        L.eigh(np.eye(2), UPLO="X")
    with pytest.raises(L.LinAlgError, match="square"):
        L.eig(np.ones((2, 3)))
