r"""PCA's streaming and uncentred siblings: IncrementalPCA (merging SVDs) and TruncatedSVD.

**Merging SVDs** (Ross, Lim, Lin & Yang 2008). After :math:`m` rows the model keeps the mean
:math:`\mu_m` and the top of the SVD of the centred data, :math:`\Sigma_k V_k^\top`. A new
batch :math:`B` (:math:`b` rows, mean :math:`\mu_B`) is absorbed by one SVD of the small stack

.. math::

    \begin{bmatrix}\Sigma_kV_k^\top\\ B - \mathbf 1\mu_B^\top\\
    \sqrt{mb/(m+b)}\,(\mu_m - \mu_B)^\top\end{bmatrix},

whose Gram matrix equals the centred scatter of all :math:`m + b` rows about the merged mean
(up to the discarded directions); the last row is the between-means correction of the
parallel-variance formula. Cost per batch :math:`O((k+b)d\min(k+b, d))`; memory
:math:`O((k+b)d)`.
"""

import itertools
import numbers
from typing import Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml._core.validation import as_float_array
from m4ml.linalg import randomized_svd, svd
from m4ml.models._base import check_is_fitted, validate_X
from m4ml.models._pca_base import _BasePCA, flip_signs
from m4ml.models.pca import random_generator

__all__ = ["IncrementalPCA", "TruncatedSVD"]


class IncrementalPCA(_BasePCA):
    r"""PCA fitted batch by batch (``partial_fit``), merging SVDs; see the module docstring.

    Parameters
    ----------
    n_components : int or None
        None: ``min(n_features, first batch size)``.
    whiten : bool, default=False
    copy : bool, default=True
        Accepted for scikit-learn compatibility.
    batch_size : int or None
        Rows per batch in ``fit`` (None: ``5 * n_features``).

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_, mean_,
    var_, noise_variance_, n_components_, n_samples_seen_, batch_size_

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(100, 3)) * [3.0, 1.0, 0.1]
    >>> ipca = IncrementalPCA(2, batch_size=20).fit(X)
    >>> from m4ml.models import PCA
    >>> bool(np.allclose(ipca.explained_variance_, PCA(2).fit(X).explained_variance_, rtol=0.05))
    True
    """

    def __init__(
        self,
        n_components: int | None = None,
        *,
        whiten: bool = False,
        copy: bool = True,
        batch_size: int | None = None,
    ):
        self.n_components = n_components
        self.whiten = whiten
        self.copy = copy
        self.batch_size = batch_size

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Fit on ``X`` in batches of ``batch_size`` rows; returns ``self``."""
        X = validate_X(self, X, reset=True)
        for attr in ("n_samples_seen_", "components_"):
            self.__dict__.pop(attr, None)
        n, d = X.shape
        bs = self.batch_size
        if bs is not None and (
            isinstance(bs, bool) or not isinstance(bs, numbers.Integral) or bs < 1
        ):
            raise ValueError(f"batch_size must be a positive int or None, got {bs!r}")
        self.batch_size_ = 5 * d if bs is None else int(bs)
        bounds = [*range(0, n, self.batch_size_), n]
        minimum = self.n_components or 0
        if len(bounds) > 2 and bounds[-1] - bounds[-2] < minimum:
            del bounds[-2]  # a too-short last batch joins the previous one (as scikit-learn)
        for lo, hi in itertools.pairwise(bounds):
            self._partial(X[lo:hi])
        return self

    def partial_fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Absorb one batch (at least ``n_components`` rows); returns ``self``."""
        first = not hasattr(self, "n_samples_seen_")
        X = validate_X(self, X, reset=first)
        if first:
            self.batch_size_ = 5 * X.shape[1] if self.batch_size is None else self.batch_size
        return self._partial(X)

    def _partial(self, X):
        n, d = X.shape
        k = self.n_components
        if k is None:
            k = getattr(self, "n_components_", None) or min(n, d)
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= d:
            raise ValueError(f"n_components={k!r} must be an int in [1, n_features={d}]")
        if self.n_components is not None and k > n:
            raise ValueError(
                f"n_components={k} must be less or equal to the batch number of samples {n}"
            )
        seen = getattr(self, "n_samples_seen_", 0)
        mean_b = X.mean(axis=0)
        m2_b = ((X - mean_b) ** 2).sum(axis=0)
        total = seen + n
        if seen == 0:
            mean, m2 = mean_b, m2_b
            stack = X - mean_b
        else:
            delta = mean_b - self.mean_
            mean = self.mean_ + delta * (n / total)
            m2 = self.var_ * seen + m2_b + delta**2 * (seen * n / total)
            correction = np.sqrt(seen * n / total) * (self.mean_ - mean_b)
            stack = np.vstack(
                [self.singular_values_[:, None] * self.components_, X - mean_b, correction]
            )
        _, S, Vt = svd(stack, full_matrices=False)
        Vt, _ = flip_signs(Vt)
        ev = S**2 / max(total - 1, 1)
        total_var = float(m2.sum()) / max(total - 1, 1)
        self.n_samples_seen_ = total
        self.mean_, self.var_ = mean, m2 / total
        self.n_components_ = k
        self.components_ = Vt[:k].copy()
        self.singular_values_ = S[:k].copy()
        self.explained_variance_ = ev[:k].copy()
        self.explained_variance_ratio_ = ev[:k] / total_var if total_var > 0 else ev[:k] * 0
        self.noise_variance_ = float(ev[k:].mean()) if k not in (total, d) and ev.size > k else 0.0
        return self


class TruncatedSVD(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    r"""Rank-k SVD of the **uncentred** data, :math:`X \approx U_k\Sigma_kV_k^\top` (LSA).

    Unlike PCA nothing is centred, so the transform is :math:`XV_k` and sparse-like data keep
    their zeros. ``algorithm="randomized"`` uses :func:`m4ml.linalg.randomized_svd` with
    ``n_iter`` power iterations; ``"arpack"`` here means the exact dense SVD of
    :func:`m4ml.linalg.svd` (same leading triplets, for small problems). Components follow
    PCA's sign convention. ``explained_variance_`` is the variance of each column of
    :math:`XV_k`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[3.0, 0.0], [0.0, 1.0], [3.0, 0.0]])
    >>> TruncatedSVD(1, algorithm="arpack").fit(X).singular_values_.round(6).tolist()
    [4.242641]
    """

    def __init__(
        self,
        n_components: int = 2,
        *,
        algorithm: Literal["randomized", "arpack"] = "randomized",
        n_iter: int = 5,
        n_oversamples: int = 10,
        random_state: Seed = None,
    ):
        self.n_components = n_components
        self.algorithm = algorithm
        self.n_iter = n_iter
        self.n_oversamples = n_oversamples
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Fit the leading singular triplets; returns ``self``."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X: ArrayLike, y: ArrayLike | None = None) -> FloatArray:
        """Fit, then return :math:`U_k\\Sigma_k = XV_k`."""
        X = validate_X(self, X, reset=True)
        k = self.n_components
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= X.shape[1]:
            raise ValueError(f"n_components={k!r} must be an int in [1, n_features={X.shape[1]}]")
        if self.algorithm == "randomized":
            U, S, Vt = randomized_svd(
                X,
                k,
                n_oversamples=self.n_oversamples,
                n_iter=self.n_iter,
                rng=random_generator(self.random_state),
            )
        elif self.algorithm == "arpack":
            U, S, Vt = svd(X, full_matrices=False)
            U, S, Vt = U[:, :k], S[:k], Vt[:k]
        else:
            raise ValueError(f"algorithm must be 'randomized' or 'arpack', got {self.algorithm!r}")
        Vt, U = flip_signs(Vt, U)
        self.components_, self.singular_values_ = Vt, S
        Z = U * S
        self.explained_variance_ = Z.var(axis=0)
        full_var = float(X.var(axis=0).sum())
        self.explained_variance_ratio_ = (
            self.explained_variance_ / full_var if full_var else Z[0] * 0
        )
        return Z

    def transform(self, X: ArrayLike) -> FloatArray:
        """:math:`XV_k`."""
        check_is_fitted(self)
        return validate_X(self, X, reset=False) @ self.components_.T

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """:math:`ZV_k^\\top`, the rank-k reconstruction."""
        check_is_fitted(self)
        return as_float_array(X, "X", min_ndim=2, max_ndim=2) @ self.components_

    @property
    def _n_features_out(self):
        return self.components_.shape[0]
