"""Normalisation of the ``rng`` / ``random_state`` arguments."""

import numbers

import numpy as np


def check_rng(rng=None):
    """Return a :class:`numpy.random.Generator` for ``rng``.

    Parameters
    ----------
    rng : None, int or numpy.random.Generator
        ``None`` gives a freshly seeded generator, an int seeds a new generator (the same int
        gives the same stream), and a Generator is returned unchanged so that successive calls
        share its stream.

    Raises
    ------
    TypeError
        For anything else (a float, a legacy ``RandomState``, a string, ...).
    """
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng seed must be a non-negative integer, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        "rng must be None, a non-negative int seed or a numpy.random.Generator, "
        f"got {type(rng).__name__}"
    )
