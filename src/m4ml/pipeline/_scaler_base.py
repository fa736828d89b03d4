"""The plumbing the affine scalers of :mod:`m4ml.pipeline.scale` share: input validation
(float32 stays float32, anything else becomes float64; NaN allowed), the input check of
``inverse_transform``, sample weights, the ``n_samples_seen_`` summary and the estimator tags.
"""

import numpy as np

from m4ml._core.sklearn_compat import check_array, validate_data

_FLOATS = (np.float64, np.float32)  # float32 input stays float32; other input becomes float64


def _validate(est, X, *, reset, copy=False, allow_nan=True):
    return validate_data(
        est,
        X,
        reset=reset,
        dtype=_FLOATS,
        copy=copy,
        force_writeable=True,
        ensure_all_finite="allow-nan" if allow_nan else True,
    )


def _inverse_input(X, copy):
    return check_array(
        X, dtype=_FLOATS, copy=copy, force_writeable=True, ensure_all_finite="allow-nan"
    )


def _check_sample_weight(sample_weight, n_samples):
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim == 0:
        return np.full(n_samples, float(w))
    if w.ndim != 1 or w.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight must have shape ({n_samples},) to match X, got shape {w.shape}"
        )
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("sample_weight must be finite and non-negative")
    if n_samples and not w.any():
        raise ValueError("sample_weight is all zero: at least one sample must have weight > 0")
    return w


def _count_summary(count):
    """A scalar when every column saw the same number of samples, else the per-column array."""
    return count[0] if count.size and np.all(count == count[0]) else count


class _ScalerTags:
    """Tags of the affine scalers: NaN passes through; float32 and float64 are preserved."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
