"""Neural networks: m4ml.models.MLPClassifier, m4ml.nn gradients and Hessian spectra.

Workloads from issue 14 (one BLAS thread):

* MLPClassifier on digits, 64-128-10, adam, 50 epochs, batch 200: <= 1.2x scikit-learn and
  <= 1.0x a PyTorch eager loop of the same network (same batches, same Adam constants);
* the gradient of a 784-256-10 MLP built from m4ml.nn layers, batch 256, float32: <= 1.0x
  PyTorch eager;
* the Hessian's top-10 eigenvalues by Lanczos (Hessian-vector products only) against forming
  the dense Hessian (torch.func.hessian) and calling eigvalsh, on a 2,060-parameter MLP. (At
  10,000 parameters the dense Hessian alone is 800 MB in float64, too much for these shared
  machines; the Lanczos time at that size is in docs/neural_networks.md.)
"""

import warnings

import numpy as np

from benchmarks.workload import Workload


def _digits_setup():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


_MLP_KW = {"hidden_layer_sizes": (128,), "solver": "adam", "max_iter": 50, "batch_size": 200,
           "random_state": 0, "tol": 0.0, "n_iter_no_change": 1000}  # fmt: skip


def _m4ml_mlp(X, y):
    from m4ml.models import MLPClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MLPClassifier(**_MLP_KW).fit(X, y)


def _sklearn_mlp(X, y):
    from sklearn.neural_network import MLPClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MLPClassifier(**_MLP_KW).fit(X, y)


def _torch_mlp(X, y):
    import torch

    torch.manual_seed(0)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    net = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    net = net.double()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
    n = X.shape[0]
    gen = np.random.default_rng(0)
    for _ in range(50):
        idx = torch.from_numpy(gen.permutation(n))
        for lo in range(0, n, 200):
            b = idx[lo : lo + 200]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(Xt[b]), yt[b])
            loss.backward()
            opt.step()
    return net


def _grad_setup():
    from m4ml import nn

    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 784)).astype(np.float32)
    y = rng.integers(0, 10, 256)
    net = nn.Sequential(nn.Dense(256), nn.Activation("tanh"), nn.Dense(10))
    params, state = net.init(0, (784,))
    params = [{k: v.astype(np.float32) for k, v in p.items()} for p in params]
    return net, params, state, X, y


def _m4ml_grad(net, params, state, X, y):
    from m4ml import nn
    from m4ml.autodiff import grad

    return grad(lambda p: nn.cross_entropy_loss(net.apply(p, state, X)[0], y))(params)


def _torch_grad(net, params, state, X, y):
    import torch

    ps = [torch.from_numpy(p[k]).requires_grad_() for p in params[::2] for k in ("W", "b")]
    h = torch.tanh(torch.from_numpy(X) @ ps[0] + ps[1])
    loss = torch.nn.functional.cross_entropy(h @ ps[2] + ps[3], torch.from_numpy(y))
    loss.backward()
    return [p.grad for p in ps]


def _hessian_setup():
    from m4ml import nn

    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 30))
    y = rng.integers(0, 10, 200)
    net = nn.Sequential(nn.Dense(50), nn.Activation("tanh"), nn.Dense(10))
    params, state = net.init(0, (30,))
    return net, params, state, X, y


def _m4ml_top10(net, params, state, X, y):
    from m4ml import nn
    from m4ml.optim import hessian_eigenvalues

    loss = lambda p: nn.cross_entropy_loss(net.apply(p, state, X)[0], y)  # noqa: E731
    return hessian_eigenvalues(loss, params, k=10, rng=0)


def _torch_dense_top10(net, params, state, X, y):
    import torch

    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    shapes = [(30, 50), (50,), (50, 10), (10,)]
    flat = np.concatenate([params[0]["W"].ravel(), params[0]["b"], params[2]["W"].ravel(),
                           params[2]["b"]])  # fmt: skip

    def f(theta):
        parts, lo = [], 0
        for s in shapes:
            size = int(np.prod(s))
            parts.append(theta[lo : lo + size].reshape(s))
            lo += size
        h = torch.tanh(Xt @ parts[0] + parts[1])
        return torch.nn.functional.cross_entropy(h @ parts[2] + parts[3], yt)

    H = torch.func.hessian(f)(torch.from_numpy(flat))
    return np.linalg.eigvalsh(H.numpy())[::-1][:10]


def _has_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


WORKLOADS = [
    Workload(
        name="MLPClassifier digits 64-128-10 adam, 50 epochs, batch 200",
        group="nn",
        setup=_digits_setup,
        m4ml=_m4ml_mlp,
        reference=_sklearn_mlp,
        reference_name="sklearn MLPClassifier",
        target=1.2,
        repeats=5,
    ),
]

if _has_torch():
    WORKLOADS += [
        Workload(
            name="MLP digits 64-128-10 adam, 50 epochs, batch 200 (vs torch loop)",
            group="nn",
            setup=_digits_setup,
            m4ml=_m4ml_mlp,
            reference=_torch_mlp,
            reference_name="torch eager training loop",
            target=1.0,
            repeats=5,
        ),
        Workload(
            name="grad of m4ml.nn MLP 784-256-10 tanh, batch 256, float32",
            group="nn",
            setup=_grad_setup,
            m4ml=_m4ml_grad,
            reference=_torch_grad,
            reference_name="torch eager backward",
            target=1.0,
            repeats=15,
        ),
        Workload(
            name="Hessian top-10 eigenvalues, 2,060-parameter MLP (Lanczos vs dense)",
            group="nn",
            setup=_hessian_setup,
            m4ml=_m4ml_top10,
            reference=_torch_dense_top10,
            reference_name="torch.func.hessian + eigvalsh",
            target=None,
            repeats=3,
        ),
    ]
