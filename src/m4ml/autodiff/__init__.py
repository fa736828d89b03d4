"""m4ml.autodiff: automatic differentiation of NumPy-style code (JAX-style transforms).

Write a function with :mod:`m4ml.numpy` (``import m4ml.numpy as mnp``) and transform it:

Transforms
    grad, value_and_grad, vjp, jvp, jacfwd, jacrev, jacobian, hessian, hvp, elementwise_grad,
    taylor, taylor_polynomial
Pytrees
    tree_flatten, tree_unflatten, tree_map, ravel_pytree, TreeDef
Custom primitives
    primitive, defvjp, defjvp, Primitive
Checks and errors
    check_grads, TracerError, primal

See docs/calculus.md for the design (tracers, trace levels, batched rules) and the rules table.
"""

from m4ml.autodiff import rules_accumulate as _racc
from m4ml.autodiff import rules_contract as _rc
from m4ml.autodiff import rules_elementwise as _re
from m4ml.autodiff import rules_extra as _rx
from m4ml.autodiff import rules_reduce as _rr
from m4ml.autodiff import rules_shape as _rs
from m4ml.autodiff.check import check_grads
from m4ml.autodiff.core import Primitive, primal
from m4ml.autodiff.custom import defjvp, defvjp, primitive
from m4ml.autodiff.jacobians import hessian, hvp, jacfwd, jacobian, jacrev
from m4ml.autodiff.pytree import TreeDef, ravel_pytree, tree_flatten, tree_map, tree_unflatten
from m4ml.autodiff.taylor import taylor, taylor_polynomial
from m4ml.autodiff.tracer import TracerError, install
from m4ml.autodiff.transforms import elementwise_grad, grad, jvp, value_and_grad, vjp

_OPS = {
    "add": _re.add,
    "subtract": _re.subtract,
    "multiply": _re.multiply,
    "divide": _re.divide,
    "power": _re.power,
    "negative": _re.negative,
    "abs": _re.abs_,
    "matmul": _rc.matmul,
    "dot": _rc.dot,
    "getitem": _rs.getitem,
    "index_update": _rs.index_update,
    "transpose": _rs.transpose,
    "reshape": _rs.reshape,
    "ravel": _rs.ravel,
    "squeeze": _rs.squeeze,
    "swapaxes": _rs.swapaxes,
    "astype": _re.astype,
    "mod": _rx.mod,
    "floor_divide": _rx.floor_divide,
    "clip": _re.clip,
    "sum": _rr.sum,
    "mean": _rr.mean,
    "prod": _rr.prod,
    "max": _rr.max,
    "min": _rr.min,
    "var": _rr.var,
    "std": _rr.std,
    "cumsum": _racc.cumsum,
}
for _name in ("less", "less_equal", "greater", "greater_equal", "equal", "not_equal"):
    _OPS[_name] = _re.NONDIFF[_name]
_UFUNC_OPS = {
    "add": _re.add,
    "subtract": _re.subtract,
    "multiply": _re.multiply,
    "divide": _re.divide,
    "true_divide": _re.divide,
    "power": _re.power,
    "negative": _re.negative,
    "matmul": _rc.matmul,
    "absolute": _re.abs_,
    "remainder": _rx.mod,
    "floor_divide": _rx.floor_divide,
}
for _name in ("less", "less_equal", "greater", "greater_equal", "equal", "not_equal"):
    _UFUNC_OPS[_name] = _re.NONDIFF[_name]
install(_OPS, _UFUNC_OPS)

__all__ = [
    "Primitive",
    "TracerError",
    "TreeDef",
    "check_grads",
    "defjvp",
    "defvjp",
    "elementwise_grad",
    "grad",
    "hessian",
    "hvp",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jvp",
    "primal",
    "primitive",
    "ravel_pytree",
    "taylor",
    "taylor_polynomial",
    "tree_flatten",
    "tree_map",
    "tree_unflatten",
    "value_and_grad",
    "vjp",
]
