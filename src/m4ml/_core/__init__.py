"""Private helpers shared by every m4ml package: errors, input validation, randomness, stacks.

Nothing here is public API; the public names are re-exported by the packages that own them
(``m4ml.linalg.LinAlgError``, for instance).
"""

from m4ml._core.errors import ConvergenceWarning, LinAlgError, LinAlgWarning
from m4ml._core.random import check_rng
from m4ml._core.stack import map_stack, stacked
from m4ml._core.validation import (
    as_float_array,
    as_label_array,
    as_matrix_stack,
    as_square_stack,
    check_finite,
    check_positive_int,
    scalar_or_array,
)

__all__ = [
    "ConvergenceWarning",
    "LinAlgError",
    "LinAlgWarning",
    "as_float_array",
    "as_label_array",
    "as_matrix_stack",
    "as_square_stack",
    "check_finite",
    "check_positive_int",
    "check_rng",
    "map_stack",
    "scalar_or_array",
    "stacked",
]
