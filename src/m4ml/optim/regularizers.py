"""Regularization penalties (L1, L2, elastic net) and their proximal operators.

The penalties are differentiable code on :mod:`m4ml.numpy` and accept a pytree of parameters
(they sum over every leaf), so ``loss(w) + l2(w, alpha)`` can be handed to ``grad``. The
proximal operators work on NumPy arrays and pytrees and are what proximal gradient methods
(ISTA/FISTA) and coordinate descent apply after each gradient step.

Parametrization (scikit-learn's ``ElasticNet``):

.. math:: R(w) = \\alpha\\,\\rho\\,\\|w\\|_1 + \\tfrac{\\alpha(1-\\rho)}{2}\\|w\\|_2^2,

with ``alpha`` = :math:`\\alpha \\ge 0` and ``l1_ratio`` = :math:`\\rho \\in [0, 1]`;
``l1(w, alpha)`` is :math:`\\rho = 1` and ``l2(w, alpha)`` is :math:`\\rho = 0`.
"""

import numbers

import numpy as np

import m4ml.numpy as mnp
from m4ml._core import as_float_array
from m4ml._core.hints import PyTree
from m4ml.autodiff import tree_flatten, tree_map
from m4ml.optim._overflow import overflow_checked


def _check_alpha(alpha, name="alpha"):
    if not isinstance(alpha, numbers.Real) or isinstance(alpha, bool) or not alpha >= 0:
        raise ValueError(f"{name} must be a real number >= 0, got {alpha!r}")
    if not np.isfinite(alpha):
        raise ValueError(f"{name} must be finite, got {alpha!r}")
    return float(alpha)


def _check_ratio(l1_ratio):
    if not isinstance(l1_ratio, numbers.Real) or not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must lie in [0, 1], got {l1_ratio!r}")
    return float(l1_ratio)


def _leaves(params):
    leaves, _ = tree_flatten(params)
    if not leaves:
        raise ValueError("params has no leaves to penalize")
    return [as_float_array(x, "params") if isinstance(x, (list, np.ndarray)) else x for x in leaves]


@overflow_checked
def l1(params: PyTree, alpha: float = 1.0) -> float:
    r"""L1 penalty :math:`\alpha\|w\|_1 = \alpha\sum_j |w_j|` over every leaf of ``params``.

    Parameters
    ----------
    params : array_like or pytree
        Parameters (may be traced values).
    alpha : float
        Strength, :math:`\ge 0`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Negative or non-finite ``alpha``, or NaN/inf parameters.

    Notes
    -----
    Convex, not differentiable at :math:`w_j = 0` (the subgradient 0 is used there); it drives
    coefficients to exactly zero when paired with its proximal operator :func:`prox_l1`.
    Plain (sub)gradient descent on it oscillates around zero instead.

    References
    ----------
    R. Tibshirani, "Regression shrinkage and selection via the lasso", JRSS B 58 (1996).

    Examples
    --------
    >>> round(float(l1({"w": [1.0, -2.0], "b": [0.5]}, alpha=0.1)), 12)
    0.35
    """
    alpha = _check_alpha(alpha)
    return alpha * sum(mnp.sum(mnp.abs(x)) for x in _leaves(params))


@overflow_checked
def l2(params: PyTree, alpha: float = 1.0) -> float:
    r"""Squared L2 penalty :math:`\tfrac{\alpha}{2}\|w\|_2^2` over every leaf of ``params``.

    Parameters
    ----------
    params : array_like or pytree
        Parameters (may be traced values).
    alpha : float
        Strength, :math:`\ge 0`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Negative or non-finite ``alpha``, or NaN/inf parameters.

    Notes
    -----
    The factor 1/2 makes the gradient :math:`\alpha w` (ridge / weight decay; the same as
    scikit-learn's elastic net at ``l1_ratio=0``). Strongly convex with modulus
    :math:`\alpha`.

    References
    ----------
    A. E. Hoerl & R. W. Kennard, "Ridge regression", Technometrics 12 (1970).

    Examples
    --------
    >>> float(l2([3.0, 4.0], alpha=0.1))
    1.25
    """
    alpha = _check_alpha(alpha)
    return 0.5 * alpha * sum(mnp.sum(mnp.square(x)) for x in _leaves(params))


@overflow_checked
def elastic_net(params: PyTree, alpha: float = 1.0, l1_ratio: float = 0.5) -> float:
    r"""Elastic-net penalty in scikit-learn's parametrization.

    Parameters
    ----------
    params : array_like or pytree
        Parameters (may be traced values).
    alpha : float
        Overall strength :math:`\alpha \ge 0`.
    l1_ratio : float
        Mixing :math:`\rho \in [0, 1]`: 1 is the lasso, 0 is ridge.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        ``alpha < 0`` or ``l1_ratio`` outside [0, 1].

    Notes
    -----
    :math:`R(w) = \alpha\rho\|w\|_1 + \tfrac{\alpha(1-\rho)}{2}\|w\|_2^2`, the penalty of
    ``sklearn.linear_model.ElasticNet(alpha, l1_ratio)``. The L2 part makes the problem strongly
    convex (a unique solution even with correlated features) while the L1 part keeps sparsity.

    References
    ----------
    H. Zou & T. Hastie, "Regularization and variable selection via the elastic net",
    JRSS B 67 (2005).

    Examples
    --------
    >>> float(elastic_net([1.0, -2.0], alpha=1.0, l1_ratio=0.5))
    2.75
    """
    alpha = _check_alpha(alpha)
    rho = _check_ratio(l1_ratio)
    return l1(params, alpha * rho) + l2(params, alpha * (1.0 - rho))


def _prox_tree(params, fn):
    leaves, treedef = tree_flatten(params)
    plain = not isinstance(params, dict) and all(isinstance(v, numbers.Number) for v in leaves)
    if treedef.kind == "leaf" or plain:  # an array, or a (nested) list of numbers
        return fn(as_float_array(params, "x"))
    return tree_map(lambda x: fn(as_float_array(x, "x")), params)


def prox_l1(x: PyTree, step: float = 1.0, alpha: float = 1.0) -> PyTree:
    r"""Soft thresholding: the proximal operator of :math:`t\,\alpha\|\cdot\|_1`.

    Parameters
    ----------
    x : array_like or pytree
        The point (a gradient step's result).
    step : float
        Step size :math:`t \ge 0`.
    alpha : float
        Penalty strength; the threshold is :math:`\lambda = t\alpha`.

    Returns
    -------
    ndarray or pytree
        :math:`\mathrm{sign}(x)\max(|x| - \lambda, 0)`, same structure as ``x``.

    Raises
    ------
    ValueError
        Negative ``step`` or ``alpha``, NaN/inf in ``x``.

    Notes
    -----
    :math:`\mathrm{prox}_{\lambda\|\cdot\|_1}(x) = \arg\min_u \tfrac12\|u - x\|^2 +
    \lambda\|u\|_1`, separable per coordinate; entries with :math:`|x_j| \le \lambda` become
    exactly 0. Cost :math:`O(n)`.

    References
    ----------
    N. Parikh & S. Boyd, "Proximal algorithms", Found. Trends Optim. 1 (2014), §6.5.2.

    Examples
    --------
    >>> prox_l1([3.0, -0.5, -2.0], 1.0)
    array([ 2., -0., -1.])
    """
    lam = _check_alpha(step, "step") * _check_alpha(alpha)
    return _prox_tree(x, lambda v: np.sign(v) * np.maximum(np.abs(v) - lam, 0.0))


def prox_l2(x: PyTree, step: float = 1.0, alpha: float = 1.0) -> PyTree:
    r"""Proximal operator of the squared L2 penalty :math:`t\,\tfrac{\alpha}{2}\|\cdot\|_2^2`.

    Parameters
    ----------
    x : array_like or pytree
        The point.
    step : float
        Step size :math:`t \ge 0`.
    alpha : float
        Penalty strength (the same as :func:`l2`).

    Returns
    -------
    ndarray or pytree
        :math:`x / (1 + t\alpha)`.

    Raises
    ------
    ValueError
        Negative ``step`` or ``alpha``, NaN/inf in ``x``.

    Notes
    -----
    :math:`\arg\min_u \tfrac12\|u-x\|^2 + \tfrac{t\alpha}{2}\|u\|^2` sets the gradient
    :math:`u - x + t\alpha u` to zero: a uniform shrinkage that never produces exact zeros.
    (This is the prox of the *squared* norm of :func:`l2`, not of the norm :math:`\|u\|_2`.)

    References
    ----------
    N. Parikh & S. Boyd, "Proximal algorithms", Found. Trends Optim. 1 (2014), §6.1.1.

    Examples
    --------
    >>> prox_l2([3.0, -1.5], 0.5, alpha=1.0)
    array([ 2., -1.])
    """
    shrink = 1.0 + _check_alpha(step, "step") * _check_alpha(alpha)
    return _prox_tree(x, lambda v: v / shrink)


def prox_elastic_net(
    x: PyTree, step: float = 1.0, alpha: float = 1.0, l1_ratio: float = 0.5
) -> PyTree:
    r"""Proximal operator of :math:`t` times the elastic-net penalty :func:`elastic_net`.

    Parameters
    ----------
    x : array_like or pytree
        The point.
    step : float
        Step size :math:`t \ge 0`.
    alpha : float
        Overall strength :math:`\alpha`.
    l1_ratio : float
        Mixing :math:`\rho \in [0, 1]`.

    Returns
    -------
    ndarray or pytree
        :math:`\mathrm{soft}(x, t\alpha\rho) / (1 + t\alpha(1-\rho))`.

    Raises
    ------
    ValueError
        Negative ``step``/``alpha``, ``l1_ratio`` outside [0, 1], NaN/inf in ``x``.

    Notes
    -----
    The penalty is separable; per coordinate the optimality condition
    :math:`0 \in u - x + t\alpha\rho\,\partial|u| + t\alpha(1-\rho)u` gives soft thresholding
    followed by the ridge shrinkage.

    References
    ----------
    H. Zou & T. Hastie, "Regularization and variable selection via the elastic net",
    JRSS B 67 (2005).

    Examples
    --------
    >>> prox_elastic_net([3.0, 0.2], 1.0, alpha=2.0, l1_ratio=0.5)
    array([1., 0.])
    """
    t = _check_alpha(step, "step")
    a = _check_alpha(alpha)
    rho = _check_ratio(l1_ratio)
    lam, shrink = t * a * rho, 1.0 + t * a * (1.0 - rho)
    return _prox_tree(x, lambda v: np.sign(v) * np.maximum(np.abs(v) - lam, 0.0) / shrink)
