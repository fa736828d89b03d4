r"""Kernel PCA: PCA in a kernel's feature space, through the centred Gram matrix.

PCA of the feature vectors :math:`\phi(x_i)` needs their covariance, which lives in a space we
never build. Its eigenvectors lie in the span of the centred features
:math:`\tilde\phi_i = \phi(x_i) - \bar\phi`: writing :math:`v = \sum_i a_i\tilde\phi_i`,
:math:`\tfrac1n\sum_i\tilde\phi_i\tilde\phi_i^\top v = \lambda v` becomes
:math:`\tilde K a = n\lambda a` for the **centred Gram matrix**

.. math::

    \tilde K_{ij} = \langle\phi(x_i) - \bar\phi, \phi(x_j) - \bar\phi\rangle
    = K_{ij} - \tfrac1n\sum_k K_{kj} - \tfrac1n\sum_k K_{ik} + \tfrac1{n^2}\sum_{kl}K_{kl},

i.e. :math:`\tilde K = (I - \tfrac1n\mathbf 1\mathbf 1^\top)K(I - \tfrac1n\mathbf 1\mathbf
1^\top)` — every term an inner product, so the kernel suffices. With :math:`\tilde K = U\Lambda
U^\top`, the unit-norm :math:`v_j` has :math:`a_j = u_j/\sqrt{\lambda_j}`, and the score of a
new point is :math:`\langle\phi(x) - \bar\phi, v_j\rangle = \tilde k(x)^\top u_j/\sqrt{\lambda_j}`
with :math:`\tilde k(x)_i = k(x, x_i) - \bar K_{\cdot i} - \overline{k(x)} + \bar K` (the same
centring, with the training means); on the training set it is :math:`u_j\sqrt{\lambda_j}`.
"""

import numbers
from collections.abc import Callable
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml._core.validation import as_float_array
from m4ml.linalg import cho_solve, cholesky, eigh, randomized_svd
from m4ml.models._base import check_is_fitted, validate_X
from m4ml.models._lanczos import lanczos_top
from m4ml.models.kernels import pairwise_kernels
from m4ml.models.pca import random_generator

__all__ = ["KernelPCA"]


def _flip_columns(V):
    """Signs making the largest-magnitude entry of every column positive (deterministic)."""
    if V.shape[1] == 0:
        return V
    signs = np.sign(V[np.argmax(np.abs(V), axis=0), np.arange(V.shape[1])])
    signs[signs == 0] = 1.0
    return V * signs


class KernelPCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    r"""Kernel principal component analysis.

    Parameters
    ----------
    n_components : int or None, default=None
        None keeps every non-zero component.
    kernel : {"linear", "poly", "rbf", "sigmoid", "cosine", "laplacian", "precomputed"} or callable
    gamma : float or None
        Kernel coefficient (None: :math:`1/n_\text{features}`).
    degree, coef0 : float
        Polynomial / sigmoid kernel parameters.
    kernel_params : dict or None
        Extra parameters of a callable kernel.
    alpha : float, default=1.0
        Ridge penalty of the inverse map (``fit_inverse_transform=True``).
    fit_inverse_transform : bool, default=False
        Learn a pre-image map :math:`z \mapsto x` by kernel ridge regression on the scores.
    eigen_solver : {"auto", "dense", "randomized"}, default="auto"
        "dense": full ``eigh`` of :math:`\tilde K`; "randomized": Halko et al. on
        :math:`\tilde K` (assumes a PSD kernel); "auto": for ``n_components < 10`` and more
        than 200 samples, Lanczos with full reorthogonalization to working precision
        (:func:`m4ml.models._lanczos.lanczos_top`, falling back to the dense solver if it has
        not converged), else dense.
    iterated_power : int or "auto", default="auto"
    remove_zero_eig : bool, default=False
        Drop components with zero eigenvalue (always done when ``n_components`` is None).
    random_state : None, int, RandomState or Generator

    Attributes
    ----------
    eigenvalues_ : ndarray (n_components,)
        Eigenvalues of the centred Gram matrix, descending; those below the rounding level
        :math:`n\varepsilon\lambda_\max` (and negative ones of a non-PSD kernel) are set to 0.
    eigenvectors_ : ndarray (n_samples, n_components)
        Unit eigenvectors, each signed so that its largest-magnitude entry is positive.
    dual_coef_, X_transformed_fit_ : inverse-map coefficients and training scores.
    X_fit_, gamma_, n_features_in_

    Raises
    ------
    ValueError
        Bad parameters or input (NaN/inf, too many components).

    Notes
    -----
    The inverse map solves :math:`(K_z + \alpha I)B = X` with :math:`K_z` the kernel between
    training scores (Cholesky), and maps :math:`z \mapsto k_z(z)^\top B` (Bakir, Weston &
    Schölkopf 2004). Cost: :math:`O(n^2 d)` for the Gram matrix plus :math:`O(n^3)` dense or
    :math:`O(n^2 k)` per iteration for the top-:math:`k` solvers.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [1.0, 2.0]])
    >>> kpca = KernelPCA(n_components=2, kernel="linear").fit(X)
    >>> kpca.eigenvalues_.round(6).tolist()
    [2.0, 2.0]
    """

    def __init__(
        self,
        n_components: int | None = None,
        *,
        kernel: Literal["linear", "poly", "rbf", "sigmoid", "cosine", "laplacian", "precomputed"]
        | Callable[..., Any] = "linear",
        gamma: float | None = None,
        degree: float = 3,
        coef0: float = 1,
        kernel_params: dict[str, Any] | None = None,
        alpha: float = 1.0,
        fit_inverse_transform: bool = False,
        eigen_solver: Literal["auto", "dense", "randomized"] = "auto",
        iterated_power: int | Literal["auto"] = "auto",
        remove_zero_eig: bool = False,
        random_state: Seed = None,
    ):
        self.n_components = n_components
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params
        self.alpha = alpha
        self.fit_inverse_transform = fit_inverse_transform
        self.eigen_solver = eigen_solver
        self.iterated_power = iterated_power
        self.remove_zero_eig = remove_zero_eig
        self.random_state = random_state

    def _kernel(self, X, Y=None):
        if self.kernel == "precomputed":
            return X
        if callable(self.kernel):
            params = self.kernel_params or {}
            return pairwise_kernels(X, Y, metric=self.kernel, **params)
        return pairwise_kernels(
            X,
            Y,
            metric=self.kernel,
            filter_params=True,
            gamma=self.gamma_,
            degree=self.degree,
            coef0=self.coef0,
        )

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Fit the components to ``X`` (n_samples, n_features); returns ``self``."""
        if self.eigen_solver not in ("auto", "dense", "randomized"):
            raise ValueError(
                f"eigen_solver must be 'auto', 'dense' or 'randomized', got {self.eigen_solver!r}"
            )
        if self.fit_inverse_transform and self.kernel == "precomputed":
            raise ValueError("Cannot fit_inverse_transform with a precomputed kernel.")
        X = validate_X(self, X, reset=True)
        n = X.shape[0]
        k = self.n_components
        if k is not None and (isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1):
            raise ValueError(f"n_components must be a positive int or None, got {k!r}")
        self.gamma_ = 1.0 / X.shape[1] if self.gamma is None else self.gamma
        K = self._kernel(X)
        if self.kernel == "precomputed" and K.shape[0] != K.shape[1]:
            raise ValueError(f"A precomputed kernel must be square, got shape {K.shape}")
        self._col_means = K.mean(axis=0)
        self._all_mean = float(self._col_means.mean())
        Kc = K - np.add.outer(self._col_means, self._col_means)  # (m_i + m_j): stays symmetric
        Kc += self._all_mean
        k = n if k is None else min(k, n)
        w, V = self._eigen(Kc, k)
        # eigenvalues below the rounding level n*eps*lambda_max are zero (their vectors are noise)
        w = np.where(w > n * np.finfo(float).eps * max(float(w.max(initial=0.0)), 0.0), w, 0.0)
        V = _flip_columns(V)
        if self.remove_zero_eig or self.n_components is None:
            keep = w > 0
            w, V = w[keep], V[:, keep]
        self.eigenvalues_, self.eigenvectors_ = w, V
        self.X_fit_ = X
        if self.fit_inverse_transform:
            Z = V * np.sqrt(w)
            Kz = self._kernel(Z)
            Kz.flat[:: n + 1] += self.alpha
            self.dual_coef_ = cho_solve((cholesky(Kz), True), X)
            self.X_transformed_fit_ = Z
        return self

    def _eigen(self, Kc, k):
        """The top ``k`` eigenpairs of the centred Gram matrix, descending."""
        n = Kc.shape[0]
        solver = self.eigen_solver
        if solver == "auto" and k < 10 and n > 200:
            top = lanczos_top(Kc, k)
            if top is not None:
                return top
            solver = "dense"
        if solver == "randomized":
            it = self.iterated_power
            it = 7 if it == "auto" else it
            U, s, Vt = randomized_svd(Kc, k, n_iter=it, rng=random_generator(self.random_state))
            signs = np.sign(np.einsum("ij,ji->j", U, Vt))  # PSD: U = V up to rounding
            return s * np.where(signs == 0, 1.0, signs), U
        w, V = eigh(Kc)
        return w[::-1][:k], V[:, ::-1][:, :k]

    def transform(self, X: ArrayLike) -> FloatArray:
        r"""Scores :math:`\tilde k(x)^\top u_j/\sqrt{\lambda_j}` of new points."""
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        K = self._kernel(X, self.X_fit_)
        Kc = K - self._col_means[None, :] - K.mean(axis=1, keepdims=True) + self._all_mean
        nz = self.eigenvalues_ > 0
        scaled = np.zeros_like(self.eigenvectors_)
        scaled[:, nz] = self.eigenvectors_[:, nz] / np.sqrt(self.eigenvalues_[nz])
        return Kc @ scaled

    def fit_transform(self, X: ArrayLike, y: ArrayLike | None = None, **params: Any) -> FloatArray:
        r"""Fit, then return the training scores :math:`u_j\sqrt{\lambda_j}`."""
        self.fit(X)
        return self.eigenvectors_ * np.sqrt(self.eigenvalues_)

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Approximate pre-images of scores, by the kernel ridge map learned at fit."""
        check_is_fitted(self)
        if not self.fit_inverse_transform:
            raise ValueError(
                "The fit_inverse_transform parameter was not set to True when instantiating and "
                "hence the inverse transform is not available."
            )
        Z = as_float_array(X, "X", min_ndim=2, max_ndim=2)
        return self._kernel(Z, self.X_transformed_fit_) @ self.dual_coef_

    @property
    def _n_features_out(self):
        return self.eigenvalues_.shape[0]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.kernel == "precomputed"
        return tags
