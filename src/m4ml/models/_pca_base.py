r"""What PCA and IncrementalPCA share once fitted: projection, reconstruction, the PPCA density.

A fitted PCA holds the mean :math:`\mu`, the orthonormal components :math:`W \in
\mathbb{R}^{k\times d}` (rows), the explained variances :math:`\lambda_1 \ge \dots \ge
\lambda_k` and the noise variance :math:`\sigma^2`. The probabilistic model (Tipping & Bishop
1999) is :math:`x = \mu + W^\top \mathrm{diag}(\lambda - \sigma^2)^{1/2} z + \varepsilon`, with
:math:`z \sim N(0, I_k)`, :math:`\varepsilon \sim N(0, \sigma^2 I_d)`, so

.. math::

    x \sim N(\mu, \Sigma), \qquad \Sigma = W^\top \mathrm{diag}(\lambda - \sigma^2) W
    + \sigma^2 I_d,

whose maximum-likelihood :math:`W` and :math:`\sigma^2` are exactly the leading eigenvectors of
the sample covariance and the mean of the discarded eigenvalues.
"""

import math

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.linalg import inv
from m4ml.models._base import check_is_fitted, validate_X


def flip_signs(components, U=None):
    """Deterministic signs: the largest-magnitude entry of every component row is positive.

    Eigen- and singular vectors are defined up to sign; this is scikit-learn's convention for
    PCA (``svd_flip(..., u_based_decision=False)``), so transforms agree with it exactly. ``U``
    (the left singular vectors, columns) is flipped alongside when given.
    """
    if components.shape[0] == 0:
        return components, U
    rows = np.arange(components.shape[0])
    signs = np.sign(components[rows, np.argmax(np.abs(components), axis=1)])
    signs[signs == 0] = 1.0
    components = components * signs[:, None]
    if U is not None:
        U = U * signs[None, :]
    return components, U


class _BasePCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Transform, inverse transform and the probabilistic-PCA density of a fitted PCA."""

    def transform(self, X: ArrayLike) -> FloatArray:
        r"""Project onto the components: :math:`Z = (X - \mu) W^\top` (divided by
        :math:`\sqrt{\lambda}` per column when ``whiten``).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_components)
        """
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        Z = (X - self.mean_) @ self.components_.T
        if self.whiten:
            Z /= np.sqrt(self._whiten_scale())
        return Z

    def _whiten_scale(self):
        """The explained variances, with exact zeros replaced so whitening never divides by 0."""
        ev = self.explained_variance_.copy()
        ev[ev <= 0] = 1.0
        return ev

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        r"""Map scores back to feature space: :math:`\hat X = Z W + \mu`.

        Exact for data in the span of the components; otherwise the orthogonal projection of
        the original rows onto the affine principal subspace. With ``whiten`` the scores are
        first multiplied back by :math:`\sqrt{\lambda}`.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_components)

        Returns
        -------
        ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self)
        from m4ml._core.validation import as_float_array

        Z = as_float_array(X, "X", min_ndim=2, max_ndim=2)
        if Z.shape[1] != self.components_.shape[0]:
            raise ValueError(
                f"X has {Z.shape[1]} columns; inverse_transform expects n_components_ = "
                f"{self.components_.shape[0]}"
            )
        if self.whiten:
            Z = Z * np.sqrt(self._whiten_scale())
        return Z @ self.components_ + self.mean_

    def get_covariance(self) -> FloatArray:
        r"""The model covariance :math:`\Sigma = W^\top \mathrm{diag}(\lambda - \sigma^2) W +
        \sigma^2 I`.

        Returns
        -------
        ndarray of shape (n_features, n_features)
        """
        check_is_fitted(self)
        W = self.components_
        diff = np.maximum(self.explained_variance_ - self.noise_variance_, 0.0)
        cov = (W.T * diff) @ W
        cov.flat[:: cov.shape[0] + 1] += self.noise_variance_
        return cov

    def get_precision(self) -> FloatArray:
        r"""The model precision :math:`\Sigma^{-1}` by the matrix inversion lemma.

        .. math::

            \Sigma^{-1} = \frac{I}{\sigma^2} - \frac{1}{\sigma^4} W^\top
            \Big(\frac{W W^\top}{\sigma^2} + D^{-1}\Big)^{-1} W,

        with :math:`D = \mathrm{diag}(\lambda - \sigma^2)`: a :math:`k\times k` inverse instead
        of a :math:`d\times d` one. When :math:`\sigma^2 = 0` or some :math:`\lambda_i =
        \sigma^2` the lemma does not apply and :math:`\Sigma` is inverted directly
        (:class:`~m4ml.linalg.LinAlgError` if it is singular).

        Returns
        -------
        ndarray of shape (n_features, n_features)
        """
        check_is_fitted(self)
        d = self.components_.shape[1]
        noise = float(self.noise_variance_)
        if self.components_.shape[0] == 0:
            return np.eye(d) / noise
        diff = self.explained_variance_ - noise
        if noise <= 0 or np.any(diff <= 0):
            return inv(self.get_covariance())
        W = self.components_
        small = W @ W.T / noise
        small.flat[:: small.shape[0] + 1] += 1.0 / diff
        precision = W.T @ inv(small) @ W
        precision /= -(noise**2)
        precision.flat[:: d + 1] += 1.0 / noise
        return precision

    def score_samples(self, X: ArrayLike) -> FloatArray:
        r"""Log-likelihood of each sample under the probabilistic PCA model.

        .. math::

            \log p(x) = -\tfrac12 (x-\mu)^\top \Sigma^{-1} (x-\mu)
            - \tfrac12 \big(d \log 2\pi + \log\det \Sigma\big)

        :math:`\Sigma` has eigenvalues :math:`\tilde\lambda_i = \max(\lambda_i, \sigma^2)` on the
        span of the components and :math:`\sigma^2` on its complement, so with
        :math:`z = W(x-\mu)` and :math:`r = x-\mu` both terms are exact sums instead of a
        :math:`d\times d` inverse and determinant:

        .. math::

            (x-\mu)^\top\Sigma^{-1}(x-\mu) = \sum_i \frac{z_i^2}{\tilde\lambda_i}
            + \frac{\|r - W^\top z\|^2}{\sigma^2}, \qquad
            \log\det\Sigma = \sum_i \log\tilde\lambda_i + (d-k)\log\sigma^2.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)

        Raises
        ------
        ValueError
            If the model covariance is singular (a zero eigenvalue kept, or no noise variance
            with fewer components than features): the density does not exist.
        """
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        R = X - self.mean_
        W = self.components_
        k, d = W.shape
        noise = float(self.noise_variance_)
        lam = np.maximum(self.explained_variance_, noise)
        if np.any(lam <= 0) or (k < d and noise <= 0):
            raise ValueError(
                "The PPCA covariance is singular (a zero variance kept, or zero noise variance "
                "with n_components < n_features); the log-likelihood is not defined. Fit fewer "
                "components."
            )
        Z = R @ W.T
        quad = np.einsum("ij,ij->i", Z / lam, Z)
        logdet = float(np.sum(np.log(lam)))
        if k < d:
            E = R - Z @ W  # the part of r outside the principal subspace, formed directly
            quad += np.einsum("ij,ij->i", E, E) / noise
            logdet += (d - k) * math.log(noise)
        return -0.5 * quad - 0.5 * (d * math.log(2.0 * math.pi) + logdet)

    def score(self, X: ArrayLike, y: ArrayLike | None = None) -> float:
        """Average log-likelihood of the samples under the probabilistic PCA model.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        float
        """
        return float(np.mean(self.score_samples(X)))

    @property
    def _n_features_out(self):
        return self.components_.shape[0]
