r"""What the kernel SVMs share: hyper-parameters, the kernel function, kernel rows, the solver call.

The kernel matrix of ``n`` samples is never formed whole during training: the dual solver asks
for rows :math:`K_{B,:}` of a working set :math:`B` (:class:`KernelRows`), and keeps the ones it
has computed in its cache (``cache_size`` MB). For the RBF kernel the training rows are centred
once (the kernel is translation invariant), so the rounding error of
:math:`\|x\|^2 + \|y\|^2 - 2x^\top y` is :math:`O(\varepsilon\|x - \bar x\|^2)` and changes
:math:`K` by a relative :math:`\gamma\,O(\varepsilon \|x-\bar x\|^2)`, far below the solver's
tolerance; prediction uses the exact-where-needed distances of :mod:`m4ml.models.kernels`.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator

from m4ml._core.validation import as_float_array
from m4ml.models._base import check_is_fitted, validate_X
from m4ml.models._smo import solve_dual
from m4ml.models.kernels import pairwise_kernels

__all__ = ["BaseSVM", "KernelRows"]

KERNELS = ("linear", "poly", "rbf", "sigmoid", "precomputed")


class KernelRows:
    """``rows(idx)`` -> the kernel rows :math:`K(X_{idx}, X)` of the training samples."""

    def __init__(self, X, kernel, gamma, degree, coef0):
        self.kernel, self.gamma, self.degree, self.coef0 = kernel, gamma, degree, coef0
        if kernel == "rbf":
            X = X - X.mean(axis=0)
            self.sq = np.einsum("ij,ij->i", X, X)
        self.X = X

    def __call__(self, idx):
        X, kernel = self.X, self.kernel
        if kernel == "precomputed":
            return X[idx]
        if callable(kernel):
            return np.asarray(kernel(X[idx], X), dtype=np.float64)
        K = X[idx] @ X.T
        if kernel == "linear":
            return K
        if kernel == "rbf":
            K *= -2.0
            K += self.sq[idx, None]
            K += self.sq[None, :]
            np.maximum(K, 0.0, out=K)
            K *= -self.gamma
            return np.exp(K, out=K)
        K *= self.gamma
        K += self.coef0
        if kernel == "poly":
            return np.power(K, self.degree, out=K)
        return np.tanh(K, out=K)

    def subset(self, rows):
        """The same kernel over a subset of the training samples."""
        sub = KernelRows.__new__(KernelRows)
        sub.kernel, sub.gamma, sub.degree, sub.coef0 = (
            self.kernel,
            self.gamma,
            self.degree,
            self.coef0,
        )
        sub.X = self.X[np.ix_(rows, rows)] if self.kernel == "precomputed" else self.X[rows]
        if self.kernel == "rbf":
            sub.sq = self.sq[rows]
        return sub


class BaseSVM(BaseEstimator):
    """Hyper-parameter checks, the kernel and the call into the dual solver."""

    _working_set = 256

    def _check_common(self):
        kernel = self.kernel
        if not callable(kernel) and kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {KERNELS} or a callable, got {kernel!r}")
        if isinstance(self.C, bool) or not isinstance(self.C, numbers.Real) or not self.C > 0:
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        if not isinstance(self.tol, numbers.Real) or not self.tol > 0:
            raise ValueError(f"tol must be a positive number, got {self.tol!r}")
        if not isinstance(self.degree, numbers.Real) or self.degree < 0:
            raise ValueError(f"degree must be a non-negative number, got {self.degree!r}")
        if not isinstance(self.cache_size, numbers.Real) or not self.cache_size > 0:
            raise ValueError(f"cache_size must be a positive number of MB, got {self.cache_size!r}")
        if isinstance(self.max_iter, bool) or not isinstance(self.max_iter, numbers.Integral):
            raise ValueError(f"max_iter must be an integer (-1: no limit), got {self.max_iter!r}")

    def _resolve_gamma(self, X):
        """gamma: "scale" = 1/(n_features Var(X)), "auto" = 1/n_features, or a positive float."""
        g = self.gamma
        if isinstance(g, str):
            if g == "scale":
                var = float(X.var()) if X.size else 0.0
                return 1.0 / (X.shape[1] * var) if var > 0 else 1.0
            if g == "auto":
                return 1.0 / X.shape[1]
            raise ValueError(f"gamma must be 'scale', 'auto' or a positive float, got {g!r}")
        if isinstance(g, bool) or not isinstance(g, numbers.Real) or not g >= 0:
            raise ValueError(f"gamma must be 'scale', 'auto' or a float >= 0, got {g!r}")
        return float(g)

    def _validate_train_X(self, X, y):
        if self.kernel == "precomputed":
            X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
            if X.shape[0] != X.shape[1]:
                raise ValueError(
                    f"With kernel='precomputed', X must be the square Gram matrix of the "
                    f"training samples, got shape {X.shape}"
                )
        return X

    def _kernel_rows(self, X):
        self._gamma = self._resolve_gamma(X) if self.kernel != "precomputed" else 0.0
        return KernelRows(X, self.kernel, self._gamma, self.degree, self.coef0)

    def _solve(self, rows, y, p, C):
        """One dual problem; returns the SMOResult (warns if it hit max_iter)."""
        return solve_dual(
            rows,
            y,
            p,
            C,
            tol=float(self.tol),
            max_iter=int(self.max_iter),
            cache_bytes=float(self.cache_size) * 2**20,
            working_set=self._working_set,
        )

    def _kernel_to_support(self, X):
        """:math:`K(X, \\text{support vectors})` for prediction."""
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)  # precomputed: n_features_in_ = training samples
        if self.kernel == "precomputed":
            return X[:, self.support_]
        if callable(self.kernel):
            return np.asarray(self.kernel(X, self.support_vectors_), dtype=np.float64)
        return pairwise_kernels(
            X,
            self.support_vectors_,
            metric=self.kernel,
            filter_params=True,
            gamma=self._gamma,
            degree=self.degree,
            coef0=self.coef0,
        )
