"""m4ml.numpy.linalg: differentiable linear algebra (``mnp.linalg.det``, ...).

Values are computed by :mod:`m4ml.linalg`; derivative rules (forward and reverse, any order)
are in :mod:`m4ml.autodiff.rules_linalg`, :mod:`m4ml.autodiff.rules_eig`,
:mod:`m4ml.autodiff.rules_decomp` and :mod:`m4ml.autodiff.rules_norm` (Giles 2008;
Townsend 2016). Names, arguments and results follow :mod:`numpy.linalg`.

Matrix functions (``_matrix.py``)
    det, slogdet, inv, solve, cholesky, pinv
Decompositions (``_decompositions.py``), each one primitive with several results
    eigh, eig, svd, qr (and eigvalsh, eigvals)
Norms (``_norm.py``)
    norm
"""

from m4ml.linalg import LinAlgError
from m4ml.numpy.linalg._decompositions import eig, eigh, eigvals, eigvalsh, qr, svd
from m4ml.numpy.linalg._matrix import cholesky, det, inv, pinv, slogdet, solve
from m4ml.numpy.linalg._norm import norm

__all__ = [
    "LinAlgError",
    "cholesky",
    "det",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
]
