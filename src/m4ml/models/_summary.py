r"""The statistician's summary of a least-squares fit, with statsmodels' names.

For the model :math:`y = \beta_0 + X\beta + \varepsilon`, :math:`\varepsilon \sim N(0,
\sigma^2 W^{-1})` (weights :math:`W = \operatorname{diag}(s_i)`, all ones for OLS), with
:math:`k` = rank of the design (intercept included) and :math:`n` observations:

* :math:`\mathrm{SSR} = \sum_i s_i r_i^2`, :math:`\hat\sigma^2` = ``scale`` = SSR / (n − k);
* :math:`\operatorname{Cov}\hat\beta = \hat\sigma^2 (A^\top W A)^{-1}` for the design
  :math:`A = [\mathbf 1\; X]`, from the QR factor of the weighted, column-scaled design
  :math:`W^{1/2}AD^{-1} = QR`: :math:`(A^\top W A)^{-1} = D^{-1}R^{-1}R^{-\top}D^{-1}` (never
  the normal equations; the Moore–Penrose inverse when the design is rank-deficient);
* :math:`t_j = \hat\beta_j/\mathrm{se}_j \sim t_{n-k}`, two-sided p-values, intervals
  :math:`\hat\beta_j \pm t_{n-k,1-\alpha/2}\,\mathrm{se}_j`;
* :math:`R^2 = 1 - \mathrm{SSR}/\mathrm{TSS}` with TSS centred at :math:`\bar y` when there is
  an intercept and uncentred (:math:`\sum s_i y_i^2`) when there is none, as statsmodels;
  :math:`R^2_{adj} = 1 - (1 - R^2)(n - k_0)/(n - k)`, :math:`k_0` = 1 with an intercept;
* :math:`F = \frac{(\mathrm{TSS} - \mathrm{SSR})/(k - k_0)}{\mathrm{SSR}/(n-k)} \sim
  F_{k-k_0,\,n-k}` for "all slopes are zero".
"""

from collections.abc import Sequence

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.linalg.pinv import pinv
from m4ml.linalg.qr import qr
from m4ml.linalg.triangular import solve_triangular

__all__ = ["OLSSummary"]


def _t_dist(df):
    from m4ml.probability.beta_family import StudentT

    return StudentT(df)


class OLSSummary:
    """Inference for a fitted :class:`~m4ml.models.LinearRegression` (``summary()``'s result).

    Attributes use statsmodels' names: ``params``, ``bse``, ``tvalues``, ``pvalues`` (the
    intercept first, named ``const``), ``rsquared``, ``rsquared_adj``, ``fvalue``,
    ``f_pvalue``, ``df_model``, ``df_resid``, ``nobs``, ``scale`` (:math:`\\hat\\sigma^2`),
    ``ssr``, ``ess``, ``centered_tss``/``uncentered_tss``, ``llf``, ``aic``, ``bic``,
    ``resid``, ``cov_params()``, ``conf_int(alpha)``; plus ``resid_std`` =
    :math:`\\sqrt{\\text{scale}}`. ``str()`` is the printed table.
    """

    def __init__(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None,
        fit_intercept: bool,
        coef: FloatArray,
        intercept: float,
        names: Sequence[str],
    ):
        n = X.shape[0]
        w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.nobs = float(n)
        self.k_constant = int(bool(fit_intercept))
        self.param_names = (["const"] if fit_intercept else []) + list(names)
        self.params = np.concatenate(([intercept], coef)) if fit_intercept else np.array(coef)
        self.resid = y - X @ coef - intercept
        self.ssr = float(w @ self.resid**2)
        sw_sum = w.sum()
        root = np.sqrt(w)
        A = np.column_stack([np.ones(n), X]) if fit_intercept else X
        cov_unscaled, rank = self._inverse_gram(A * root[:, None])
        self.rank = rank
        self.df_model = float(rank - self.k_constant)
        self.df_resid = float(n - rank)
        self.scale = self.ssr / self.df_resid if self.df_resid > 0 else np.nan
        self.resid_std = float(np.sqrt(self.scale))
        self.normalized_cov_params = cov_unscaled
        self.bse = np.sqrt(np.maximum(np.diag(cov_unscaled), 0.0) * self.scale)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.tvalues = self.params / self.bse
        self.pvalues = self._two_sided(self.tvalues)
        y_bar = (w @ y) / sw_sum
        self.centered_tss = float(w @ (y - y_bar) ** 2)
        self.uncentered_tss = float(w @ y**2)
        tss = self.centered_tss if fit_intercept else self.uncentered_tss
        self.ess = tss - self.ssr
        self.rsquared = 1.0 - self.ssr / tss if tss > 0 else np.nan
        self.rsquared_adj = (
            1.0 - (1.0 - self.rsquared) * (n - self.k_constant) / self.df_resid
            if self.df_resid > 0
            else np.nan
        )
        self.fvalue, self.f_pvalue = self._f_test()
        positive = w > 0
        half = n / 2.0
        with np.errstate(divide="ignore"):  # an exact fit has llf = +inf, as in statsmodels
            self.llf = float(
                -half * np.log(2 * np.pi) - half * np.log(self.ssr / n) - half
                + 0.5 * np.log(w[positive]).sum()
            )  # fmt: skip
        self.aic = -2 * self.llf + 2 * rank
        self.bic = -2 * self.llf + np.log(n) * rank

    @staticmethod
    def _inverse_gram(Xc):
        """:math:`(A^\\top A)^{-1}` from the QR of the column-scaled ``A`` (or pinv)."""
        p = Xc.shape[1]
        norms = np.sqrt(np.einsum("ij,ij->j", Xc, Xc))
        d = np.where(norms > 0, np.ldexp(1.0, np.frexp(norms)[1]), 1.0)
        As = Xc / d
        if Xc.shape[0] >= p and p > 0:
            R = qr(As, mode="r")
            diag = np.abs(np.diag(R))
            if diag.min() > max(Xc.shape) * np.finfo(float).eps * diag.max():
                M = solve_triangular(R, np.eye(p), lower=False) / d[:, None]
                return M @ M.T, p
        P = pinv(As) / d[:, None]  # rank-deficient: the Moore-Penrose inverse, as statsmodels
        from m4ml.linalg.pinv import matrix_rank

        return P @ P.T, int(matrix_rank(As)) if p else 0

    def _two_sided(self, t):
        if not self.df_resid > 0:
            return np.full_like(t, np.nan)
        with np.errstate(invalid="ignore"):
            return 2.0 * _t_dist(self.df_resid).sf(np.abs(t))

    def _f_test(self):
        if not (self.df_model > 0 and self.df_resid > 0) or self.ssr == 0:
            return (np.inf if self.ssr == 0 and self.df_model > 0 else np.nan), (
                0.0 if self.ssr == 0 and self.df_model > 0 else np.nan
            )
        from m4ml.stats._null import FDist

        f = (self.ess / self.df_model) / (self.ssr / self.df_resid)
        return float(f), float(FDist(self.df_model, self.df_resid).sf(f))

    def cov_params(self) -> FloatArray:
        """Covariance matrix of the parameters, :math:`\\hat\\sigma^2 (X^\\top W X)^{-1}`."""
        return self.normalized_cov_params * self.scale

    def conf_int(self, alpha: float = 0.05) -> FloatArray:
        """``(k, 2)`` array of :math:`1-\\alpha` confidence intervals for the parameters."""
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must lie in (0, 1), got {alpha!r}")
        q = _t_dist(self.df_resid).ppf(1 - alpha / 2) if self.df_resid > 0 else np.nan
        return np.column_stack([self.params - q * self.bse, self.params + q * self.bse])

    def __str__(self):
        ci = self.conf_int()
        width = max(8, *(len(name) for name in self.param_names))
        rule = "=" * (width + 66)
        lines = [
            "Linear regression (least squares by pivoted QR)".center(width + 66),
            rule,
            f"{'No. observations:':<22}{self.nobs:>12.0f}    {'R-squared:':<20}"
            f"{self.rsquared:>12.4f}",
            f"{'Df residuals:':<22}{self.df_resid:>12.0f}    {'Adj. R-squared:':<20}"
            f"{self.rsquared_adj:>12.4f}",
            f"{'Df model:':<22}{self.df_model:>12.0f}    {'F-statistic:':<20}{self.fvalue:>12.4g}",
            f"{'Residual std. error:':<22}{self.resid_std:>12.4g}    {'Prob (F-statistic):':<20}"
            f"{self.f_pvalue:>12.3g}",
            f"{'Log-likelihood:':<22}{self.llf:>12.4g}    {'AIC:':<20}{self.aic:>12.4g}",
            rule,
            f"{'':<{width}}{'coef':>12}{'std err':>12}{'t':>10}{'P>|t|':>8}{'[0.025':>12}"
            f"{'0.975]':>12}",
            "-" * (width + 66),
        ]
        for j, name in enumerate(self.param_names):
            lines.append(
                f"{name:<{width}}{self.params[j]:>12.4g}{self.bse[j]:>12.4g}"
                f"{self.tvalues[j]:>10.3f}{self.pvalues[j]:>8.3f}{ci[j, 0]:>12.4g}{ci[j, 1]:>12.4g}"
            )
        lines.append(rule)
        return "\n".join(lines)

    def __repr__(self):
        return f"<OLSSummary: {len(self.params)} parameters, R-squared {self.rsquared:.4f}>"
