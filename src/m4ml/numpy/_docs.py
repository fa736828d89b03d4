r"""m4ml's own docstrings for the NumPy ufuncs that ``m4ml.numpy`` wraps as primitives.

A wrapped ufunc would otherwise carry NumPy's docstring, which points into NumPy's own manual
(and so cannot be rendered in m4ml's). Each gets one line on what it computes and the
derivative rule m4ml registers for it; the arguments are NumPy's.
"""

# name -> (what it computes, its derivative in LaTeX); None: piecewise constant (zero derivative).
RULES = {
    "abs": ("the absolute value ``|x|``", r"\operatorname{sign}(x)\ (0 \text{ at } x = 0)"),
    "absolute": ("the absolute value ``|x|``", r"\operatorname{sign}(x)\ (0 \text{ at } x = 0)"),
    "add": ("``x + y``", r"\partial_x = 1,\ \partial_y = 1"),
    "subtract": ("``x - y``", r"\partial_x = 1,\ \partial_y = -1"),
    "multiply": ("``x * y``", r"\partial_x = y,\ \partial_y = x"),
    "divide": ("``x / y``", r"\partial_x = 1/y,\ \partial_y = -x/y^2"),
    "true_divide": ("``x / y``", r"\partial_x = 1/y,\ \partial_y = -x/y^2"),
    "power": ("``x ** y``", r"\partial_x = y x^{y-1},\ \partial_y = x^y \log x"),
    "negative": ("``-x``", "-1"),
    "reciprocal": ("``1 / x``", r"-1/x^2"),
    "square": ("``x ** 2``", "2x"),
    "sqrt": ("the square root", r"\frac{1}{2\sqrt{x}}"),
    "cbrt": ("the cube root", r"\frac{1}{3 x^{2/3}}"),
    "exp": ("the exponential", "e^x"),
    "exp2": ("``2 ** x``", r"2^x \log 2"),
    "expm1": ("``exp(x) - 1``, accurate near 0", "e^x"),
    "log": ("the natural logarithm", "1/x"),
    "log2": ("the base-2 logarithm", r"\frac{1}{x \log 2}"),
    "log10": ("the base-10 logarithm", r"\frac{1}{x \log 10}"),
    "log1p": ("``log(1 + x)``, accurate near 0", r"\frac{1}{1 + x}"),
    "logaddexp": ("``log(exp(x) + exp(y))`` without overflow", r"\partial_x = \sigma(x - y)"),
    "logaddexp2": (
        "``log2(2 ** x + 2 ** y)`` without overflow",
        r"\partial_x = \frac{2^x}{2^x + 2^y}",
    ),
    "sin": ("the sine", r"\cos x"),
    "cos": ("the cosine", r"-\sin x"),
    "tan": ("the tangent", r"1 + \tan^2 x"),
    "arcsin": ("the inverse sine", r"\frac{1}{\sqrt{1 - x^2}}"),
    "arccos": ("the inverse cosine", r"-\frac{1}{\sqrt{1 - x^2}}"),
    "arctan": ("the inverse tangent", r"\frac{1}{1 + x^2}"),
    "arctan2": (
        "the angle of the point ``(x2, x1)``",
        r"\partial_{x_1} = \frac{x_2}{x_1^2 + x_2^2},\ \partial_{x_2} = \frac{-x_1}{x_1^2 + x_2^2}",
    ),
    "hypot": ("``sqrt(x ** 2 + y ** 2)``", r"\partial_x = x / \operatorname{hypot}(x, y)"),
    "sinh": ("the hyperbolic sine", r"\cosh x"),
    "cosh": ("the hyperbolic cosine", r"\sinh x"),
    "tanh": ("the hyperbolic tangent", r"1 - \tanh^2 x"),
    "arcsinh": ("the inverse hyperbolic sine", r"\frac{1}{\sqrt{x^2 + 1}}"),
    "arccosh": ("the inverse hyperbolic cosine", r"\frac{1}{\sqrt{x^2 - 1}}"),
    "arctanh": ("the inverse hyperbolic tangent", r"\frac{1}{1 - x^2}"),
    "sinc": (
        "the normalized sinc ``sin(pi x) / (pi x)``",
        r"(\cos(\pi x) - \operatorname{sinc} x)/x\ (0 \text{ at } x = 0)",
    ),
    "maximum": ("the elementwise maximum", r"\partial_x = [x > y]\ (\tfrac12 \text{ on ties})"),
    "minimum": ("the elementwise minimum", r"\partial_x = [x < y]\ (\tfrac12 \text{ on ties})"),
    "fmax": (
        "the elementwise maximum, ignoring NaN",
        r"\partial_x = [x > y]\ (\tfrac12 \text{ on ties; a NaN argument gets 0})",
    ),
    "fmin": (
        "the elementwise minimum, ignoring NaN",
        r"\partial_x = [x < y]\ (\tfrac12 \text{ on ties; a NaN argument gets 0})",
    ),
    "mod": (
        "the remainder ``x - y * floor(x / y)``",
        r"\partial_x = 1,\ \partial_y = -\lfloor x/y \rfloor",
    ),
    "remainder": (
        "the remainder ``x - y * floor(x / y)``",
        r"\partial_x = 1,\ \partial_y = -\lfloor x/y \rfloor",
    ),
}
for _name, _what in {
    "sign": "the sign",
    "floor": "the floor",
    "ceil": "the ceiling",
    "rint": "the nearest integer",
    "round": "``x`` rounded to the given decimals",
    "trunc": "``x`` truncated towards zero",
    "floor_divide": "``floor(x / y)``",
    "equal": "``x == y``",
    "not_equal": "``x != y``",
    "less": "``x < y``",
    "less_equal": "``x <= y``",
    "greater": "``x > y``",
    "greater_equal": "``x >= y``",
    "isnan": "whether ``x`` is NaN",
    "isinf": "whether ``x`` is infinite",
    "isfinite": "whether ``x`` is finite",
    "logical_and": "``x and y``",
    "logical_or": "``x or y``",
    "logical_xor": "``x xor y``",
    "logical_not": "``not x``",
}.items():
    RULES[_name] = (_what, None)


def docstring(name):
    """The m4ml docstring of the wrapped ufunc ``name``."""
    what, rule = RULES[name]
    if rule is None:
        derivative = (
            "Piecewise constant, so its derivative is zero: on traced input the result is "
            "returned untraced."
        )
    else:
        derivative = f"Derivative (both the reverse and the forward rule): :math:`{rule}`."
    return (
        f"Differentiable ``numpy.{name}``: {what}, elementwise.\n\n"
        f"On plain arrays it returns exactly what NumPy returns; the arguments are NumPy's.\n"
        f"{derivative}\n"
    )


def apply(namespace):
    """Give every wrapped ufunc in ``namespace`` whose docstring is NumPy's m4ml's own."""
    import numpy as np

    for name in RULES:
        obj = namespace.get(name)
        reference = getattr(np, name, None)
        if obj is None or reference is None or obj is reference:
            continue
        if getattr(obj, "__doc__", None) == getattr(reference, "__doc__", None):
            obj.__doc__ = docstring(name)
