"""The parameter-pytree check shared by the loss-landscape and Hessian-spectrum tools."""

from m4ml._core import as_float_array
from m4ml.autodiff import tree_flatten


def check_params(params, name="params"):
    """Every leaf of the pytree ``params`` as a finite real array; at least one number."""
    leaves = [as_float_array(leaf, f"{name} leaf") for leaf in tree_flatten(params)[0]]
    if sum(leaf.size for leaf in leaves) == 0:
        raise ValueError(f"{name} has no parameters (an empty pytree or empty arrays)")
    return params
