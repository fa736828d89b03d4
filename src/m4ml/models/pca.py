r"""Principal component analysis: the leading eigenvectors of the covariance, via eigh or the SVD.

Two derivations give the same answer. *Maximum variance*: the unit direction :math:`w` that
maximizes the variance :math:`w^\top C w` of the projected, centred data
(:math:`C = X_c^\top X_c/(n-1)`) is, by the Lagrangian :math:`w^\top C w - \lambda(w^\top w - 1)`,
an eigenvector :math:`Cw = \lambda w` with the largest :math:`\lambda`; the next direction,
orthogonal to the first, is the next eigenvector, and so on. *Best low-rank approximation*: by
Eckart--Young the rank-:math:`k` matrix closest to :math:`X_c` in Frobenius norm is the truncated
SVD :math:`U_k \Sigma_k V_k^\top`, and since :math:`X_c^\top X_c = V\Sigma^2V^\top` the rows of
:math:`V_k^\top` are those same eigenvectors with :math:`\lambda_i = \sigma_i^2/(n-1)`.
"""

import numbers
from typing import Literal, Self

import numpy as np
from scipy.special import gammaln

from m4ml._core.hints import ArrayLike, Seed
from m4ml.linalg import eigh, qr, randomized_svd, svd
from m4ml.models._base import validate_X
from m4ml.models._pca_base import _BasePCA, flip_signs

__all__ = ["PCA"]

_EPS = np.finfo(np.float64).eps
_COV_FLOOR = 2.0**-12  # auto: covariance path only if every kept lambda >= _COV_FLOOR * lambda_max
_SOLVERS = ("auto", "full", "covariance_eigh", "randomized")


def random_generator(random_state):
    """A :class:`numpy.random.Generator` from scikit-learn's ``random_state`` values."""
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**31 - 1))
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.default_rng(int(random_state))
    raise ValueError(
        f"random_state must be None, an int, a RandomState or a Generator, got {random_state!r}"
    )


def minka_log_evidence(spectrum, n_samples):
    r"""Minka's Laplace approximation of :math:`\log p(X \mid k)` for every rank ``k``.

    Parameters
    ----------
    spectrum : ndarray of shape (d,)
        All covariance eigenvalues, descending.
    n_samples : int

    Returns
    -------
    ndarray of shape (d,)
        Entry ``k`` is the log evidence of a rank-``k`` PPCA model (``-inf`` for ``k = 0`` and for
        ranks whose eigenvalues vanish).

    Notes
    -----
    For rank :math:`k` with :math:`v = \frac{1}{d-k}\sum_{j>k}\lambda_j` (Minka 2000, eq. 73):

    .. math::

        \log p(X\mid k) \approx \log p(U) - \tfrac n2 \sum_{j\le k}\log\lambda_j
        - \tfrac{n(d-k)}{2}\log v + \tfrac{m+k}{2}\log 2\pi - \tfrac12\log|A_Z|
        - \tfrac k2 \log n,

    with :math:`m = dk - k(k+1)/2`, :math:`\log p(U) = -k\log 2 + \sum_{i=1}^k
    [\log\Gamma(\tfrac{d-i+1}{2}) - \tfrac{d-i+1}{2}\log\pi]` and
    :math:`\log|A_Z| = \sum_{i\le k}\sum_{j>i} \log\big(n(\lambda_i-\lambda_j)
    (\hat\lambda_j^{-1}-\hat\lambda_i^{-1})\big)`, :math:`\hat\lambda` the spectrum with its tail
    replaced by :math:`v`.
    """
    lam = np.asarray(spectrum, dtype=np.float64)
    d = lam.shape[0]
    out = np.full(d, -np.inf)
    n = float(n_samples)
    for k in range(1, d):
        if lam[k - 1] < 1e-15:
            continue
        i = np.arange(1, k + 1)
        log_pu = -k * np.log(2.0) + np.sum(
            gammaln((d - i + 1) / 2.0) - np.log(np.pi) * (d - i + 1) / 2.0
        )
        log_pl = -0.5 * n * np.sum(np.log(lam[:k]))
        v = max(_EPS, float(np.sum(lam[k:])) / (d - k))
        log_pv = -0.5 * n * (d - k) * np.log(v)
        m = d * k - k * (k + 1) / 2.0
        log_pp = 0.5 * (m + k) * np.log(2.0 * np.pi)
        hat = lam.copy()
        hat[k:] = v
        rows, cols = np.triu_indices(d, 1)
        keep = rows < k
        rows, cols = rows[keep], cols[keep]
        log_az = np.sum(np.log((lam[rows] - lam[cols]) * (1.0 / hat[cols] - 1.0 / hat[rows])))
        log_az += rows.size * np.log(n)
        out[k] = log_pu + log_pl + log_pv + log_pp - 0.5 * log_az - 0.5 * k * np.log(n)
    return out


def scatter_matrix(X, mean):
    r"""The centred scatter matrix :math:`S = (X - 1\mu^\top)^\top (X - 1\mu^\top)`.

    Computed as :math:`X^\top X - n\mu\mu^\top` (one symmetric rank-:math:`k` update on ``X``
    itself, no centred copy) when the mean is small against the spread,
    :math:`\max_j \mu_j^2 \le \max_j s_j^2` (column variances estimated on the first 2048
    rows): the cancellation then costs at most a factor 2 over the rounding error
    :math:`\varepsilon\, n \max_j s_j^2` of the centred product. Otherwise (data far from the
    origin, where the shortcut would lose :math:`\log_{10}(\mu^2/s^2)` digits) the rows are
    centred first.
    """
    n = X.shape[0]
    spread = float(X[:2048].var(axis=0).max()) if n > 1 else 0.0
    if float(np.max(mean * mean)) <= spread:
        S = X.T @ X
        S -= n * np.outer(mean, mean)
        return S
    Xc = X - mean
    return Xc.T @ Xc


def top_eigh(C, k, *, max_iter=60, seed=0, block=None):
    r"""The ``k`` largest eigenpairs of a symmetric PSD ``C`` by subspace iteration, or None.

    Block power iteration on :math:`l = \min(d, \max(2k, k+8))` vectors,
    :math:`Q \leftarrow \operatorname{orth}(CQ)`, with a Rayleigh--Ritz step now and then: the
    eigenpairs :math:`(\theta_i, s_i)` of :math:`Q^\top C Q` give Ritz pairs
    :math:`(\theta_i, Qs_i)`. The error in the wanted subspace shrinks by
    :math:`\lambda_{l+1}/\lambda_k` per step, so after each Rayleigh--Ritz step the number of
    further steps is predicted from :math:`\theta_l/\theta_k` and the current residuals. It
    stops when every wanted residual :math:`\|Cv_i - \theta_i v_i\| \le 10^{-13}\,\theta_1`
    (then :math:`|\delta\theta_i| \le \|r_i\|^2/\mathrm{gap}` and the angle of :math:`v_i`
    is at most :math:`\|r_i\|/\mathrm{gap}`). Without a spectral gap it does not converge within
    ``max_iter`` steps and returns None; the caller falls back to the full ``eigh``.
    Cost per step: :math:`2d^2l` flops plus a :math:`d\times l` QR.
    """
    d = C.shape[0]
    l = min(d, block or max(2 * k + 10, 20))
    if float(np.abs(C).max()) == 0.0:
        return None
    Q = qr(np.random.default_rng(seed).standard_normal((d, l)), mode="reduced")[0]
    done, steps = 0, 3
    while done < max_iter:
        for _ in range(steps):
            Q, R = qr(C @ Q, mode="reduced")
        done += steps
        CQ = C @ Q
        diag = np.abs(np.diag(R))
        rate = diag[-1] / diag[k - 1] if diag[k - 1] > 0 else 1.0
        # the residual is about (rate ** done) * theta_1: predict the steps still needed
        need = np.ceil(np.log(1e-13) / np.log(rate)) - done + 1 if 0 < rate < 0.99 else 0
        if need > 0 and done + need <= max_iter:
            steps = int(need)
            continue
        H = Q.T @ CQ
        theta, S = eigh((H + H.T) / 2.0)
        theta, S = theta[::-1], S[:, ::-1]
        V = Q @ S[:, :k]
        res = CQ @ S[:, :k] - V * theta[:k]
        if np.sqrt(np.einsum("ij,ij->j", res, res)).max() <= 1e-13 * theta[0]:
            return theta[:k], V
        if not 0 < rate < 0.99:
            return None
        steps = 2
    return None


class PCA(_BasePCA):
    r"""Principal component analysis: project centred data onto its top-variance directions.

    Parameters
    ----------
    n_components : int, float, "mle" or None, default=None
        Components kept: an int; a float in (0, 1), the smallest number whose cumulative
        explained-variance ratio exceeds it; ``"mle"``, Minka's evidence maximizer (needs
        ``n_samples >= n_features``); None, all ``min(n_samples, n_features)``.
    copy : bool, default=True
        Accepted for scikit-learn compatibility; ``X`` is never modified.
    whiten : bool, default=False
        Scale the scores to unit variance (divide by :math:`\sqrt{\lambda_i}`).
    svd_solver : {"auto", "full", "covariance_eigh", "randomized"}, default="auto"
        See Notes.
    iterated_power : int or "auto", default="auto"
        Power iterations of the randomized solver ("auto": 7 when ``k < 0.1 min(n, d)``, else 4).
    n_oversamples : int, default=10
        Extra sketch columns of the randomized solver.
    random_state : None, int, RandomState or Generator
        Seed of the randomized solver.

    Attributes
    ----------
    components_ : ndarray of shape ``(n_components_, n_features)``
        Orthonormal principal axes, signed so that each row's largest-magnitude entry is
        positive (scikit-learn's convention, so transforms agree with it exactly).
    explained_variance_, explained_variance_ratio_, singular_values_ : ndarray ``(n_components_,)``
        :math:`\lambda_i`, :math:`\lambda_i/\sum_j \lambda_j` and
        :math:`\sigma_i = \sqrt{(n-1)\lambda_i}`.
    mean_ : ndarray of shape (n_features,)
    noise_variance_ : float
        Mean of the discarded eigenvalues (the PPCA :math:`\sigma^2`; 0 when none is discarded).
    n_components_, n_samples_, n_features_in_ : int

    Raises
    ------
    ValueError
        Bad ``n_components`` / ``svd_solver``, NaN or inf in ``X``, fewer than 2 samples.

    Notes
    -----
    ``"full"`` takes the SVD of the centred data, :math:`X_c = U\Sigma V^\top`, :math:`O(nd\min(n,
    d))`; ``"covariance_eigh"`` the eigendecomposition of :math:`C = X_c^\top X_c/(n-1)`,
    :math:`O(nd^2 + d^3)` with one BLAS-3 product; ``"randomized"`` the Halko--Martinsson--Tropp
    sketch of :func:`m4ml.linalg.randomized_svd`.

    ``"auto"`` is the covariance path when :math:`n \ge 10d` **and** every kept eigenvalue
    satisfies :math:`\lambda_k \ge 2^{-12}\lambda_\max`; otherwise the SVD. The bound: forming
    :math:`C` and a backward-stable ``eigh`` perturb each eigenvalue by
    :math:`|\delta\lambda_i| \lesssim c\,\varepsilon\,\lambda_\max` (Weyl), so
    :math:`|\delta\lambda_i|/\lambda_i \lesssim c\,\varepsilon\,\lambda_\max/\lambda_i \le
    c \cdot 2^{12}\varepsilon \approx c \cdot 10^{-12}`, and an eigenvector's error is that
    perturbation over its gap; the SVD path's is :math:`\varepsilon\sigma_\max/\sigma_i =
    \varepsilon\sqrt{\lambda_\max/\lambda_i}`. Squaring the condition number therefore costs none
    of the digits returned when the kept spectrum stands that far above
    :math:`\varepsilon\lambda_\max`; below it (tiny trailing eigenvalues, rank deficiency) the SVD
    is used. ``_fit_svd_solver`` records the path taken.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]])
    >>> pca = PCA(n_components=1).fit(X)
    >>> pca.components_.tolist(), pca.explained_variance_.round(6).tolist()
    ([[1.0, 0.0]], [2.666667])
    >>> pca.transform([[1.0, 5.0]]).tolist()
    [[1.0]]
    """

    def __init__(
        self,
        n_components: int | float | Literal["mle"] | None = None,
        *,
        copy: bool = True,
        whiten: bool = False,
        svd_solver: Literal["auto", "full", "covariance_eigh", "randomized"] = "auto",
        iterated_power: int | Literal["auto"] = "auto",
        n_oversamples: int = 10,
        random_state: Seed = None,
    ):
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.random_state = random_state

    def _check_params(self, n, d):
        if self.svd_solver not in _SOLVERS:
            raise ValueError(f"svd_solver must be one of {_SOLVERS}, got {self.svd_solver!r}")
        k = self.n_components
        if k is None:
            return min(n, d) if self.svd_solver != "randomized" else min(n, d) - 1
        if isinstance(k, str):
            if k != "mle":
                raise ValueError(f"n_components must be an int, a float, 'mle' or None, got {k!r}")
            if self.svd_solver == "randomized":
                raise ValueError(
                    "n_components='mle' needs svd_solver 'full', 'covariance_eigh' or 'auto'"
                )
            if n < d:
                raise ValueError(
                    f"n_components='mle' is only supported if n_samples >= n_features "
                    f"(got {n} samples, {d} features)"
                )
            return d
        if isinstance(k, bool) or not isinstance(k, numbers.Real):
            raise TypeError(f"n_components must be an int, a float, 'mle' or None, got {k!r}")
        if isinstance(k, numbers.Integral):
            k = int(k)
            if not 0 <= k <= min(n, d):
                raise ValueError(
                    f"n_components={k} must be between 0 and min(n_samples, n_features)="
                    f"{min(n, d)} with svd_solver={self.svd_solver!r}"
                )
            if self.svd_solver == "randomized" and k < 1:
                raise ValueError("n_components must be >= 1 with svd_solver='randomized'")
            return k
        if not 0 < k < 1:
            raise ValueError(f"a float n_components must lie strictly between 0 and 1, got {k}")
        if self.svd_solver == "randomized":
            raise ValueError(
                "a float n_components needs svd_solver 'full', 'covariance_eigh' or 'auto'"
            )
        return min(n, d)

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Fit the principal axes to ``X`` of shape (n_samples, n_features); returns ``self``."""
        X = validate_X(self, X, reset=True)
        n, d = X.shape
        if n < 2:
            raise ValueError(
                f"PCA needs at least 2 samples to estimate a variance, got n_samples={n}"
            )
        k_max = self._check_params(n, d)
        self.mean_ = X.mean(axis=0)
        solver = self.svd_solver
        ev = comps = None
        complete = True
        if solver in ("auto", "covariance_eigh") and (solver == "covariance_eigh" or n >= 10 * d):
            ev, comps, total, complete = self._covariance_path(X, n, k_max)
            kept = self._resolve_k(ev / total, ev, n, k_max)
            top = ev[0] if ev.size else 0.0
            if solver == "auto" and kept and ev[kept - 1] < _COV_FLOOR * top:
                ev = None  # too close to eps * lambda_max for the squared condition number
            else:
                solver = "covariance_eigh"
        if ev is None and solver in ("auto", "full"):
            solver = "full"
            _, S, Vt = svd(X - self.mean_, full_matrices=False)
            ev = S**2 / (n - 1)
            comps, _ = flip_signs(Vt)
            total = float(ev.sum())
        if solver == "randomized":
            ev, comps, total = self._randomized_path(X - self.mean_, n, k_max)
        ratio = ev / total if total > 0 else np.zeros_like(ev)
        k = self._resolve_k(ratio, ev, n, k_max)
        if solver == "randomized" or not complete:
            rest = min(n, d) - k
            self.noise_variance_ = max(total - float(ev[:k].sum()), 0.0) / rest if rest else 0.0
        else:
            self.noise_variance_ = float(ev[k:].mean()) if k < min(n, d) else 0.0
        self._fit_svd_solver = solver
        self.n_samples_ = n
        self.n_components_ = k
        self.components_ = np.ascontiguousarray(comps[:k])
        self.explained_variance_ = ev[:k].copy()
        self.explained_variance_ratio_ = ratio[:k].copy()
        self.singular_values_ = np.sqrt(ev[:k] * (n - 1))
        return self

    def _covariance_path(self, X, n, k_max):
        """Eigenpairs of the covariance, descending; only the top ``k`` when that is cheaper.

        Returns ``(ev, comps, total, complete)``; ``complete`` is False when only the leading
        ``k_max`` eigenpairs were computed (the discarded variance is then the trace minus the
        kept eigenvalues).
        """
        C = scatter_matrix(X, self.mean_)
        C /= n - 1
        total = float(np.trace(C))
        d = C.shape[0]
        top = None
        if isinstance(self.n_components, numbers.Integral) and 0 < k_max <= d // 4:
            top = top_eigh(C, k_max)
        if top is not None:
            w, V = top
            complete = False
        else:
            w, V = eigh(C)
            w, V = w[::-1], V[:, ::-1]
            complete = True
        ev = np.maximum(w, 0.0)
        comps, _ = flip_signs(np.ascontiguousarray(V.T))
        m = min(n, d)
        return ev[:m], comps[:m], total, complete

    def _randomized_path(self, Xc, n, k):
        it = self.iterated_power
        if it == "auto":
            it = 7 if k < 0.1 * min(Xc.shape) else 4
        _, S, Vt = randomized_svd(
            Xc,
            k,
            n_oversamples=self.n_oversamples,
            n_iter=it,
            rng=random_generator(self.random_state),
        )
        comps, _ = flip_signs(Vt)
        total = float(np.einsum("ij,ij->", Xc, Xc)) / (n - 1)
        return S**2 / (n - 1), comps, total

    def _resolve_k(self, ratio, ev, n, k_max):
        k = self.n_components
        if k is None or isinstance(k, numbers.Integral):
            return k_max
        if k == "mle":
            return int(np.argmax(minka_log_evidence(ev, n)))
        return int(np.searchsorted(np.cumsum(ratio), k, side="right") + 1)
