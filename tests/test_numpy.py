"""m4ml.numpy: the explicit list of wrapped functions returns what NumPy returns on plain
arrays, constructors stack traced values, and every public name is documented."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import grad, jacfwd

X = np.random.default_rng(3).standard_normal((2, 3))
POS = np.abs(X) + 0.5

SAME_AS_NUMPY = {
    "exp": (X,),
    "log": (POS,),
    "sqrt": (POS,),
    "tanh": (X,),
    "abs": (X,),
    "sign": (X,),
    "floor": (X,),
    "ceil": (X,),
    "rint": (X,),
    "trunc": (X,),
    "isnan": (X,),
    "isfinite": (X,),
    "add": (X, 1.0),
    "maximum": (X, 0.0),
    "greater": (X, 0.0),
    "logical_and": (X > 0, X < 1),
    "sum": (X,),
    "mean": (X,),
    "prod": (X,),
    "max": (X,),
    "min": (X,),
    "amax": (X,),
    "amin": (X,),
    "var": (X,),
    "std": (X,),
    "cumsum": (X,),
    "ravel": (X,),
    "transpose": (X,),
    "sort": (X,),
    "argsort": (X,),
    "argmax": (X,),
    "argmin": (X,),
    "diag": (X,),
    "trace": (X[:, :2],),
    "outer": (X[0], X[1]),
    "dot": (X, X.T),
    "matmul": (X, X.T),
    "inner": (X, X),
    "vdot": (X, X),
    "round": (X,),
    "square": (X,),
    "cbrt": (X,),
    "zeros_like": (X,),
    "ones_like": (X,),
}


@pytest.mark.parametrize("name", sorted(SAME_AS_NUMPY))
def test_plain_arrays_give_numpy_results(name):
    args = SAME_AS_NUMPY[name]
    np.testing.assert_allclose(getattr(mnp, name)(*args), getattr(np, name)(*args), rtol=1e-14)


def test_namespace_lists_the_issue_functions():
    required = [
        "sum",
        "mean",
        "prod",
        "max",
        "min",
        "var",
        "std",
        "reshape",
        "transpose",
        "swapaxes",
        "concatenate",
        "stack",
        "split",
        "squeeze",
        "expand_dims",
        "broadcast_to",
        "where",
        "maximum",
        "minimum",
        "abs",
        "clip",
        "matmul",
        "dot",
        "einsum",
        "outer",
        "tensordot",
        "logsumexp",
        "cumsum",
        "sort",
        "logaddexp",
        "log1p",
        "expm1",
        "array",
        "zeros",
        "ones",
        "eye",
        "diag",
        "arange",
        "linspace",
        "zeros_like",
        "ones_like",
    ]
    missing = [n for n in required if n not in mnp.__all__]
    assert missing == []
    for n in ["det", "slogdet", "inv", "solve", "cholesky", "eigh", "svd", "qr", "pinv", "norm"]:
        assert callable(getattr(mnp.linalg, n))
    undocumented = [
        n for n in mnp.__all__ if callable(getattr(mnp, n)) and not getattr(mnp, n).__doc__
    ]
    assert undocumented == []


def test_array_stacks_traced_values():
    f = lambda x: mnp.array([[x[0], x[1] ** 2], [x[0] * x[1], 1.0]])  # noqa: E731
    np.testing.assert_allclose(
        jacfwd(f)(np.array([2.0, 3.0])).reshape(4, 2), [[1, 0], [0, 6], [3, 2], [0, 0]]
    )
    assert isinstance(mnp.array([1.0, 2.0]), np.ndarray)
    assert mnp.asarray([1, 2]).dtype.kind == "i"
    assert grad(lambda x: mnp.sum(mnp.asarray(x) * 2.0))(1.0) == 2.0


def test_constructors_are_constants():
    assert grad(lambda x: mnp.sum(mnp.zeros_like(x) + x * mnp.ones_like(x)))(
        np.ones(3)
    ).tolist() == [1, 1, 1]
    assert mnp.full_like(X, 2.0).shape == X.shape
    np.testing.assert_array_equal(mnp.linspace(0, 1, 3), [0, 0.5, 1])
    np.testing.assert_array_equal(mnp.eye(2), np.eye(2))
    assert mnp.ndim(X) == 2 and mnp.size(X) == 6 and mnp.shape(X) == (2, 3)


def test_linalg_namespace_values():
    a = np.array([[4.0, 1.0], [1.0, 3.0]])
    np.testing.assert_allclose(mnp.linalg.det(a), np.linalg.det(a))
    np.testing.assert_allclose(mnp.linalg.inv(a), np.linalg.inv(a))
    np.testing.assert_allclose(mnp.linalg.cholesky(a), np.linalg.cholesky(a))
    w, _v = mnp.linalg.eigh(a)
    np.testing.assert_allclose(w, np.linalg.eigh(a)[0])
    sign, logdet = mnp.linalg.slogdet(a)
    assert sign == 1.0 and logdet == pytest.approx(np.log(11.0))
