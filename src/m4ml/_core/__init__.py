"""Private helpers shared by every m4ml package: errors, input validation, randomness, stacks.

Nothing here is public API; the public names are re-exported by the packages that own them
(``m4ml.linalg.LinAlgError``, for instance).
"""

from m4ml._core.errors import ConvergenceWarning, DegenerateDataWarning, LinAlgError, LinAlgWarning
from m4ml._core.random import check_rng
from m4ml._core.scaling import power_of_two_scale, scale_for_largest
from m4ml._core.stack import map_stack, stacked
from m4ml._core.validation import (
    as_float_array,
    as_label_array,
    as_matrix_stack,
    as_square_stack,
    check_finite,
    check_positive_int,
    overflow_guard,
    scalar_or_array,
)

__all__ = [
    "ConvergenceWarning",
    "DegenerateDataWarning",
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
    "overflow_guard",
    "power_of_two_scale",
    "scalar_or_array",
    "scale_for_largest",
    "stacked",
]
