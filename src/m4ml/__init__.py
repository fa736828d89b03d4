"""m4ml: the mathematics of machine learning, from the math up, on NumPy arrays.

Subpackages (import them explicitly, e.g. ``from m4ml import linalg``)
-------------------------------------------------------------------------
linalg
    Vectors, LU/det/inv/solve, Cholesky, QR and Gram--Schmidt, eigendecompositions, SVD,
    pseudoinverse and least squares -- every factorization written here.
autodiff, numpy
    Automatic differentiation (grad, jacobians, hessians, Taylor series, pytrees) of code
    written with the differentiable NumPy namespace ``m4ml.numpy``.
calculus
    Numerical differentiation and integration with error estimates.
optim
    Losses, regularizers, gradient-descent optimizers, minimize, constrained and convex
    optimization with duality.
probability
    Finite probability spaces and Bayes' theorem, distributions, information theory, Markov
    chains.
stats
    Descriptive statistics, hypothesis tests, confidence intervals, resampling, Bayesian
    inference.
pipeline
    Missing data, scaling, feature engineering, splitting and cross-validation, metrics,
    interpretability, hyperparameter search.

``python -m m4ml`` prints a tour of every module, each result beside an independent check.
"""


def _version():
    """The version, kept in one place: pyproject.toml (via the installed metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("m4ml")
    except PackageNotFoundError:  # a source tree on PYTHONPATH, not installed
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text())["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"


__version__ = _version()

__all__ = ["__version__"]
