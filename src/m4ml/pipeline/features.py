"""Feature construction: polynomial and interaction terms, and arbitrary elementwise functions.

Binning (:class:`~m4ml.pipeline.discretize.KBinsDiscretizer`) lives in
:mod:`m4ml.pipeline.discretize`.
"""

import numbers
import warnings
from collections.abc import Callable
from itertools import chain, combinations, combinations_with_replacement
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, get_config
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml._core.sklearn_compat import validate_data


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the features up to a given degree.

    Parameters
    ----------
    degree : int or (int, int), default=2
        Maximal degree, or ``(min_degree, max_degree)``: only terms of total degree in that range
        are produced (plus the bias column if ``include_bias``).
    interaction_only : bool, default=False
        Only products of distinct features (no powers :math:`x_j^2`, ...).
    include_bias : bool, default=True
        Include the constant column of ones (degree 0).
    order : {"C", "F"}, default="C"
        Memory layout of the output.

    Attributes
    ----------
    powers_ : ndarray of shape ``(n_output_features_, n_features_in_)``
        Exponent of each input feature in each output column.
    n_output_features_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        A negative or inverted degree, an empty output (degree 0 without bias), NaN/inf input,
        a wrong number of features at transform.

    Notes
    -----
    The output columns are the monomials :math:`\\prod_j x_j^{p_j}` with
    :math:`d_{min} \\le \\sum_j p_j \\le d_{max}`, listed by degree and, within a degree, in
    lexicographic order of the feature indices (``x0^2, x0 x1, x1^2``). There are
    :math:`\\binom{p + d}{d}` of them for :math:`p` features up to degree :math:`d`. Each block of
    degree :math:`d` is built from the block of degree :math:`d - 1`: the terms starting with
    :math:`x_j` are :math:`x_j` times the degree-:math:`(d-1)` terms whose features are all
    :math:`\\ge j` (:math:`> j` for interactions), a contiguous slice, so each column costs one
    vectorised multiplication.

    References
    ----------
    .. [1] Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., §5.1.

    Examples
    --------
    >>> poly = PolynomialFeatures(2).fit([[2.0, 3.0]])
    >>> poly.transform([[2.0, 3.0]]).tolist()
    [[1.0, 2.0, 3.0, 4.0, 6.0, 9.0]]
    >>> poly.get_feature_names_out().tolist()
    ['1', 'x0', 'x1', 'x0^2', 'x0 x1', 'x1^2']
    """

    def __init__(
        self,
        degree: int | tuple[int, int] = 2,
        *,
        interaction_only: bool = False,
        include_bias: bool = True,
        order: Literal["C", "F"] = "C",
    ):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order

    def _degrees(self):
        d = self.degree
        if _is_int(d) and d >= 0:
            lo, hi = 0, int(d)
        elif isinstance(d, tuple) and len(d) == 2 and all(_is_int(v) and v >= 0 for v in d):
            lo, hi = int(d[0]), int(d[1])
            if lo > hi:
                raise ValueError(f"degree=(min_degree, max_degree) needs min <= max, got {d}")
        else:
            raise ValueError(
                "degree must be a non-negative int or a tuple (min_degree, max_degree) of them, "
                f"got {d!r}"
            )
        if hi == 0 and not self.include_bias:
            raise ValueError(
                "Setting degree to zero and include_bias to False would result in an empty "
                "output array."
            )
        if self.order not in ("C", "F"):
            raise ValueError(f"order must be 'C' or 'F', got {self.order!r}")
        return lo, hi

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Work out the output terms for ``X``'s number of features (``y`` is ignored)."""
        lo, hi = self._degrees()
        X = validate_data(self, X, dtype=np.float64)
        p = X.shape[1]
        comb = combinations if self.interaction_only else combinations_with_replacement
        terms = chain.from_iterable(comb(range(p), d) for d in range(max(1, lo), hi + 1))
        if self.include_bias:
            terms = chain([()], terms)
        powers = [np.bincount(np.asarray(t, dtype=np.int64), minlength=p) for t in terms]
        self.powers_ = np.asarray(powers, dtype=np.int64).reshape(-1, p)
        self.n_output_features_ = self.powers_.shape[0]
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """The monomials of ``X``, shape ``(n_samples, n_output_features_)``."""
        check_is_fitted(self, "powers_")
        lo, hi = self._degrees()
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        n, p = X.shape
        # every term up to degree hi (the ones below lo are dropped at the end)
        blocks = [_n_terms(p, d, self.interaction_only) for d in range(1, hi + 1)]
        full = np.empty((n, 1 + sum(blocks)), dtype=X.dtype, order=self.order)
        full[:, 0] = 1
        if hi >= 1:
            full[:, 1 : 1 + p] = X
        # starts[j]: where, in the previous block, the terms whose first feature is j begin
        prev_start, starts = 1, np.arange(p + 1)
        col = 1 + p
        for _ in range(2, hi + 1):
            new_starts = np.empty(p + 1, dtype=np.int64)
            block_start = col
            for j in range(p):
                first = starts[j + 1] if self.interaction_only else starts[j]
                width = starts[p] - first
                new_starts[j] = col - block_start
                if width > 0:
                    np.multiply(
                        full[:, prev_start + first : prev_start + starts[p]],
                        X[:, j : j + 1],
                        out=full[:, col : col + width],
                    )
                col += width
            new_starts[p] = col - block_start
            prev_start, starts = block_start, new_starts
        keep_from = 1 + sum(blocks[: max(lo, 1) - 1])
        if self.include_bias and keep_from == 1:
            return full
        cols = np.r_[[0] if self.include_bias else [], np.arange(keep_from, full.shape[1])]
        return np.asarray(full[:, cols.astype(np.int64)], order=self.order)

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """Names such as ``"1"``, ``"x0"``, ``"x0^2 x1"``."""
        check_is_fitted(self, "powers_")
        names = _check_feature_names_in(self, input_features)
        out = []
        for row in self.powers_:
            nz = np.flatnonzero(row)
            if nz.size == 0:
                out.append("1")
            else:
                out.append(
                    " ".join(names[j] if row[j] == 1 else f"{names[j]}^{row[j]}" for j in nz)
                )
        return np.asarray(out, dtype=object)


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _n_terms(p, d, interaction_only):
    """Number of monomials of degree exactly d in p variables."""
    from math import comb

    return comb(p, d) if interaction_only else comb(p + d - 1, d)


class FunctionTransformer(TransformerMixin, BaseEstimator):
    """Apply a user function (and optionally its inverse) as a pipeline step.

    Parameters
    ----------
    func : callable or None, default=None
        ``func(X, **kw_args)``; None is the identity.
    inverse_func : callable or None, default=None
        ``inverse_func(X, **inv_kw_args)``; None is the identity.
    validate : bool, default=False
        Convert ``X`` to a numeric array (and check its number of features) before calling
        ``func``; otherwise pass it through untouched.
    accept_sparse : bool, default=False
        Kept for scikit-learn compatibility; sparse input is passed through only when
        ``validate=False``.
    check_inverse : bool, default=True
        At fit, warn if ``inverse_func(func(X))`` does not give back (a sample of) ``X``.
    feature_names_out : None, "one-to-one" or callable, default=None
        How to name output columns: the input names, or ``callable(self, input_features)``.
        Without it there is no ``get_feature_names_out``.
    kw_args, inv_kw_args : dict or None
        Extra keyword arguments of ``func`` and ``inverse_func``.

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        ``check_inverse`` on non-numeric input; wrong number of features with ``validate``.

    Notes
    -----
    A fixed map :math:`x \\mapsto f(x)` learns nothing; fitting only records the input's shape
    and names and, when asked, tests :math:`f^{-1}(f(x)) \\approx x` on every
    :math:`\\max(1, \\lfloor n/100 \\rfloor)`-th row.

    References
    ----------
    .. [1] Box & Cox, "An analysis of transformations", JRSS B 26 (1964) — why transform at all.

    Examples
    --------
    >>> log = FunctionTransformer(np.log1p, inverse_func=np.expm1).fit([[0.0, 1.0]])
    >>> log.transform([[0.0, np.e - 1]]).tolist()
    [[0.0, 1.0]]
    >>> log.inverse_transform([[0.0, 1.0]]).round(6).tolist()
    [[0.0, 1.718282]]
    """

    def __init__(
        self,
        func: Callable[..., Any] | None = None,
        inverse_func: Callable[..., Any] | None = None,
        *,
        validate: bool = False,
        accept_sparse: bool = False,
        check_inverse: bool = True,
        feature_names_out: Literal["one-to-one"] | Callable[..., ArrayLike] | None = None,
        kw_args: dict[str, Any] | None = None,
        inv_kw_args: dict[str, Any] | None = None,
    ):
        self.func = func
        self.inverse_func = inverse_func
        self.validate = validate
        self.accept_sparse = accept_sparse
        self.check_inverse = check_inverse
        self.feature_names_out = feature_names_out
        self.kw_args = kw_args
        self.inv_kw_args = inv_kw_args

    def _check_input(self, X, reset):
        if self.validate:
            return validate_data(self, X, reset=reset)
        if reset:  # record shape and names without converting anything
            validate_data(self, X, skip_check_array=True, reset=True)
        return X

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Record the input's number of features and names; check the inverse if asked."""
        fno = self.feature_names_out
        if not (fno is None or fno == "one-to-one" or callable(fno)):
            raise ValueError(
                f"feature_names_out must be None, 'one-to-one' or a callable, got {fno!r}"
            )
        X = self._check_input(X, reset=True)
        if self.check_inverse and self.func is not None and self.inverse_func is not None:
            self._check_inverse_transform(X)
        return self

    def _check_inverse_transform(self, X):
        if not hasattr(X, "shape"):  # a list of rows
            X = np.asarray(X)
        dtypes = list(X.dtypes) if hasattr(X, "dtypes") else [np.asarray(X).dtype]
        if not all(isinstance(d, np.dtype) and np.issubdtype(d, np.number) for d in dtypes):
            raise ValueError(
                "'check_inverse' is only supported when all the elements in `X` are numerical."
            )
        step = slice(None, None, max(1, X.shape[0] // 100))
        sample = X.iloc[step] if hasattr(X, "iloc") else np.asarray(X)[step]
        back = self.inverse_transform(self.transform(sample))
        if not np.allclose(
            np.asarray(sample, dtype=float),
            np.asarray(back, dtype=float),
            rtol=1e-7,
            atol=1e-9,
            equal_nan=True,
        ):
            warnings.warn(
                "The provided functions are not strictly inverse of each other. If "
                "you are sure you want to proceed regardless, set "
                "'check_inverse=False'.",
                UserWarning,
                stacklevel=3,
            )

    def transform(self, X: ArrayLike) -> Any:
        """``func(X, **kw_args)``."""
        X = self._check_input(X, reset=False)
        out = X if self.func is None else self.func(X, **(self.kw_args or {}))
        if self.feature_names_out is None and not hasattr(out, "columns"):
            config = getattr(self, "_sklearn_output_config", {}).get(
                "transform", get_config()["transform_output"]
            )
            if config in ("pandas", "polars"):
                warnings.warn(
                    f"When `set_output` is configured to be '{config}', `func` should "
                    f"return a {config} DataFrame to follow the `set_output` API or "
                    "`feature_names_out` should be defined.",
                    UserWarning,
                    stacklevel=2,
                )
        return out

    def inverse_transform(self, X: ArrayLike) -> Any:
        """``inverse_func(X, **inv_kw_args)``."""
        if self.validate:
            X = validate_data(self, X, reset=False)
        return X if self.inverse_func is None else self.inverse_func(X, **(self.inv_kw_args or {}))

    @property
    def get_feature_names_out(self) -> Callable[[ArrayLike | None], NDArray[np.object_]]:
        """Output names (only when ``feature_names_out`` is set)."""
        if self.feature_names_out is None:
            raise AttributeError("get_feature_names_out needs feature_names_out to be set")
        return self._feature_names_out

    def _feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        if hasattr(self, "n_features_in_") or input_features is not None:
            names = _check_feature_names_in(self, input_features)
        else:
            raise ValueError("get_feature_names_out needs a fitted transformer or input_features")
        if self.feature_names_out == "one-to-one":
            return names
        return np.asarray(self.feature_names_out(self, names), dtype=object)

    def set_output(
        self, *, transform: Literal["default", "pandas", "polars"] | None = None
    ) -> Self:
        """Choose the container of ``transform``'s output (``"default"``, ``"pandas"``)."""
        if transform is not None:
            self._sklearn_output_config = {"transform": transform}
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.no_validation = not self.validate
        tags.requires_fit = False
        tags.input_tags.sparse = not self.validate or self.accept_sparse
        return tags
