"""Pieces of :mod:`m4ml.models` that higher layers build on (designated, importable, stable).

:mod:`m4ml.distributed` fits the same models from summaries merged over chunks and must end in
exactly the conventions the in-memory estimators use, so that the two agree attribute for
attribute. Those conventions live here under public names, instead of being imported from this
package's private modules. Not in ``m4ml.models.__all__`` (tools, not models).
"""

import numpy as np

from m4ml._core.hints import FloatArray
from m4ml.models._pca_base import flip_signs as _flip_signs

__all__ = ["flip_signs"]


def flip_signs(
    components: FloatArray, U: FloatArray | None = None
) -> tuple[FloatArray, FloatArray | None]:
    r"""Deterministic signs for principal axes: each row's largest-magnitude entry positive.

    Parameters
    ----------
    components : ndarray, shape (k, d)
        Principal axes in rows (e.g. :math:`V^\top` of an SVD).
    U : ndarray, shape (n, k), optional
        Left singular vectors (columns), flipped alongside.

    Returns
    -------
    components, U : ndarray
        :math:`s_j v_j` and :math:`s_j u_j` with
        :math:`s_j = \operatorname{sign}(v_{j,\arg\max_i |v_{ji}|})` (1 where that is 0).

    Notes
    -----
    Singular vectors are defined up to sign; :math:`u_j\sigma_j v_j^\top` is unchanged by
    flipping both. This is :class:`m4ml.models.PCA`'s rule (scikit-learn's ``svd_flip`` with
    ``u_based_decision=False``), so transforms agree with it exactly.

    Examples
    --------
    >>> comps, _ = flip_signs(np.array([[0.6, -0.8], [-0.8, -0.6]]))
    >>> comps.tolist()
    [[-0.6, 0.8], [0.8, 0.6]]
    """
    return _flip_signs(np.asarray(components, dtype=np.float64), U)
