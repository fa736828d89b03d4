r"""The logistic and softmax negative log-likelihoods, with closed-form gradients and
Hessian-vector products (the mean over weighted samples plus an L2 term).

Parameters are one flat vector holding ``W`` (K × p, row-major) and then, with an intercept,
``b`` (K,). For the binary model K = 1 and the class probability is
:math:`\sigma(z) = 1/(1 + e^{-z})`, :math:`z = x^\top w + b`; for K ≥ 3 it is the softmax of
:math:`z = Wx + b`. With weights :math:`s_i`, :math:`S = \sum_i s_i` and
:math:`\lambda = 1/(CS)`:

.. math:: F(\theta) = \frac1S\sum_i s_i\,\ell_i(\theta) + \frac{\lambda_2}{2}\|W\|_F^2,

binary :math:`\ell_i = \log(1 + e^{z_i}) - y_i z_i` (:math:`y_i \in \{0, 1\}`), softmax
:math:`\ell_i = \log\sum_k e^{z_{ik}} - z_{i y_i}`. Gradients:
:math:`\nabla_z \ell = p - y` (probabilities minus one-hot targets), so
:math:`\nabla_W F = \frac1S (s \odot (P - Y))^\top X + \lambda_2 W`,
:math:`\nabla_b F = \frac1S (P - Y)^\top s` — the closed forms that reverse-mode autodiff of
the same expressions would produce (checked against :mod:`m4ml.autodiff` in the tests), at one
pass over the data each.
"""

import numpy as np

__all__ = ["LogisticLoss"]


def _log1pexp(z):
    """:math:`\\log(1 + e^z)`, stable for any z."""
    return np.logaddexp(0.0, z)


def _sigmoid(z):
    """:math:`\\sigma(z) = (1 + \\tanh(z/2))/2`: no overflow for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class LogisticLoss:
    """The penalized mean negative log-likelihood of a binary or multinomial logistic model."""

    def __init__(self, X, y_encoded, n_classes, sample_weight, fit_intercept, l2):
        self.X = X
        self.n, self.p = X.shape
        self.K = 1 if n_classes == 2 else n_classes
        self.fit_intercept = fit_intercept
        self.l2 = float(l2)
        self.S = float(sample_weight.sum())
        self.w = sample_weight / self.S  # normalized weights: the loss is a weighted mean
        if self.K == 1:
            self.y = y_encoded.astype(np.float64)
        else:
            self.Y = np.zeros((self.n, self.K))
            self.Y[np.arange(self.n), y_encoded] = 1.0
        self.size = self.K * self.p + (self.K if fit_intercept else 0)

    def unpack(self, theta):
        """``(W, b)``: W of shape (K, p), b of shape (K,) (zeros without an intercept)."""
        W = theta[: self.K * self.p].reshape(self.K, self.p)
        b = theta[self.K * self.p :] if self.fit_intercept else np.zeros(self.K)
        return W, b

    def decision(self, theta):
        W, b = self.unpack(theta)
        return self.X @ W.T + b

    def loss_grad(self, theta):
        """``(F(theta), grad F(theta))``."""
        W, b = self.unpack(theta)
        Z = self.X @ W.T + b  # (n, K)
        if self.K == 1:
            z = Z[:, 0]
            f = self.w @ (_log1pexp(z) - self.y * z)
            R = (self.w * (_sigmoid(z) - self.y))[:, None]
        else:
            m = Z.max(axis=1, keepdims=True)
            E = np.exp(Z - m)
            se = E.sum(axis=1, keepdims=True)
            lse = (m + np.log(se))[:, 0]
            f = self.w @ (lse - np.einsum("ik,ik->i", Z, self.Y))
            R = self.w[:, None] * (E / se - self.Y)
        gW = R.T @ self.X + self.l2 * W
        f += 0.5 * self.l2 * float(np.einsum("ij,ij->", W, W))
        g = gW.ravel()
        if self.fit_intercept:
            g = np.concatenate([g, R.sum(axis=0)])
        return float(f), g

    def loss(self, theta):
        return self.loss_grad(theta)[0]

    def hessp_at(self, theta):
        """A function ``v -> H v`` for the Hessian of F at ``theta`` (computed once)."""
        W, b = self.unpack(theta)
        Z = self.X @ W.T + b
        if self.K == 1:
            s = _sigmoid(Z[:, 0])
            d = self.w * s * (1.0 - s)

            def hv(v):
                V, vb = self.unpack(v)
                dz = self.X @ V[0] + vb[0]
                u = d * dz
                out = (self.X.T @ u + self.l2 * V[0]).ravel()
                return np.concatenate([out, [u.sum()]]) if self.fit_intercept else out

            return hv
        P = np.exp(Z - Z.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)

        def hv(v):
            V, vb = self.unpack(v)
            dZ = self.X @ V.T + vb
            # d softmax: P * (dZ - <P, dZ>) per row
            U = self.w[:, None] * P * (dZ - np.einsum("ik,ik->i", P, dZ)[:, None])
            out = (U.T @ self.X + self.l2 * V).ravel()
            return np.concatenate([out, U.sum(axis=0)]) if self.fit_intercept else out

        return hv
