"""m4ml.linalg: linear algebra from the math up, on NumPy arrays.

Every factorization is written here (NumPy supplies storage, ufuncs and the BLAS behind ``@``);
names, arguments and return conventions follow ``numpy.linalg`` (and ``scipy.linalg`` for the
functions NumPy lacks), so code can switch between them. See docs/linalg.md for a guided tour.

Vectors and matrices
    dot, cross, norm, angle, project, transpose, trace, matrix_power
Triangular systems, LU and Cholesky
    solve_triangular, lu, lu_factor, lu_solve, det, slogdet, inv, solve, cholesky, cho_solve
Orthogonalization
    qr (Householder, or the teaching Gram--Schmidt variants), gram_schmidt
Eigenvalues
    eigh, eigvalsh, eigh_tridiagonal, tridiagonalize, eig, eigvals, hessenberg, schur,
    power_iteration, inverse_iteration
Singular values and least squares
    svd, svdvals, bidiagonalize, randomized_svd, pinv, lstsq, matrix_rank, cond,
    cond_estimate (Hager-Higham, from the LU factors)
Errors and warnings
    LinAlgError (a ValueError): singular, not square, not positive definite, no convergence
    LinAlgWarning (a RuntimeWarning): solve/inv/lstsq on an ill-conditioned matrix
"""

from m4ml._core.errors import LinAlgError, LinAlgWarning
from m4ml.linalg.bidiagonal import BidiagonalResult, bidiagonalize
from m4ml.linalg.cholesky import cho_solve, cholesky
from m4ml.linalg.condition import cond_estimate
from m4ml.linalg.det import SlogdetResult, det, slogdet
from m4ml.linalg.eig import EigResult, eig, eigvals
from m4ml.linalg.eigh import eigh, eigvalsh
from m4ml.linalg.gram_schmidt import GramSchmidtResult, gram_schmidt
from m4ml.linalg.hessenberg import hessenberg
from m4ml.linalg.lstsq import lstsq
from m4ml.linalg.lu import lu, lu_factor, lu_solve
from m4ml.linalg.matrices import matrix_power, trace, transpose
from m4ml.linalg.norms import norm
from m4ml.linalg.pinv import cond, matrix_rank, pinv
from m4ml.linalg.power import PowerIterationResult, inverse_iteration, power_iteration
from m4ml.linalg.qr import QRResult, qr
from m4ml.linalg.randomized import RandomizedSVDResult, randomized_svd
from m4ml.linalg.schur import schur
from m4ml.linalg.solve import inv, solve
from m4ml.linalg.svd import SVDResult, svd, svdvals
from m4ml.linalg.triangular import solve_triangular
from m4ml.linalg.tridiag_eigen import EighResult, eigh_tridiagonal
from m4ml.linalg.tridiagonal import tridiagonalize
from m4ml.linalg.vectors import angle, cross, dot, project

__all__ = [
    "BidiagonalResult",
    "EigResult",
    "EighResult",
    "GramSchmidtResult",
    "LinAlgError",
    "LinAlgWarning",
    "PowerIterationResult",
    "QRResult",
    "RandomizedSVDResult",
    "SVDResult",
    "SlogdetResult",
    "angle",
    "bidiagonalize",
    "cho_solve",
    "cholesky",
    "cond",
    "cond_estimate",
    "cross",
    "det",
    "dot",
    "eig",
    "eigh",
    "eigh_tridiagonal",
    "eigvals",
    "eigvalsh",
    "gram_schmidt",
    "hessenberg",
    "inv",
    "inverse_iteration",
    "lstsq",
    "lu",
    "lu_factor",
    "lu_solve",
    "matrix_power",
    "matrix_rank",
    "norm",
    "pinv",
    "power_iteration",
    "project",
    "qr",
    "randomized_svd",
    "schur",
    "slogdet",
    "solve",
    "solve_triangular",
    "svd",
    "svdvals",
    "trace",
    "transpose",
    "tridiagonalize",
]
