"""m4ml: the mathematics of machine learning, from the math up, on NumPy arrays.

Subpackages
-----------
linalg
    Vectors, LU/det/inv/solve, Cholesky, QR and Gram--Schmidt, eigendecompositions,
    SVD, pseudoinverse and least squares -- every factorization written here.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
