"""The Moré–Garbow–Hillstrom unconstrained test problems (35 sums of squares).

Each problem is :math:`f(x) = \\sum_i r_i(x)^2` with residuals ``r(x)`` written so that ``x``
may carry leading batch axes and be complex: the gradient :math:`2 J^\\top r` uses the
Jacobian by complex-step differentiation, :math:`J e_k = \\operatorname{Im} r(x + i h e_k)/h`
with :math:`h = 10^{-30}` (exact to rounding, no subtractive cancellation), all :math:`n`
columns in one batched call. The Hessian is the symmetrized central difference of that
gradient. Standard starting points and dimensions are the paper's; ``fstar`` lists the known
minima (local ones included where the paper reports them), to 12 digits where the published
6 digits were refined here by polishing from the published minimizer (see test_mgh.py).

Reference: J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing unconstrained optimization
software", ACM Trans. Math. Software 7(1):17-41, 1981.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Problem:
    number: int
    name: str
    residuals: object
    x0: np.ndarray
    fstar: tuple

    @property
    def n(self):
        return self.x0.size

    def fun(self, x):
        r = self.residuals(np.asarray(x, dtype=float))
        return float(r @ r)

    def jac_r(self, x):
        x = np.asarray(x, dtype=float)
        n = x.size
        h = 1e-30
        X = x + 1j * h * np.eye(n)  # row k perturbs x_k
        return (self.residuals(X).imag / h).T  # (m, n)

    def grad(self, x):
        x = np.asarray(x, dtype=float)
        return 2.0 * (self.jac_r(x).T @ self.residuals(x))

    def fun_and_grad(self, x):
        x = np.asarray(x, dtype=float)
        r = self.residuals(x)
        return float(r @ r), 2.0 * (self.jac_r(x).T @ r)

    def hess(self, x):
        x = np.asarray(x, dtype=float)
        n = x.size
        step = 6e-6 * np.maximum(1.0, np.abs(x))
        H = np.empty((n, n))
        for k in range(n):
            e = np.zeros(n)
            e[k] = step[k]
            H[:, k] = (self.grad(x + e) - self.grad(x - e)) / (2 * step[k])
        return 0.5 * (H + H.T)

    def solved(self, f, tol=1e-8):
        """f within ``tol`` (absolute or relative) of one of the known minima."""
        return any(abs(f - s) <= tol * max(1.0, abs(s)) for s in self.fstar)


def _c(x, *cols):
    return [x[..., j] for j in cols]


def _s(*rows):
    return np.stack(np.broadcast_arrays(*rows), axis=-1)


def rosenbrock(x):
    x1, x2 = _c(x, 0, 1)
    return _s(10 * (x2 - x1**2), 1 - x1)


def freudenstein_roth(x):
    x1, x2 = _c(x, 0, 1)
    return _s(-13 + x1 + ((5 - x2) * x2 - 2) * x2, -29 + x1 + ((x2 + 1) * x2 - 14) * x2)


def powell_badly_scaled(x):
    x1, x2 = _c(x, 0, 1)
    return _s(1e4 * x1 * x2 - 1, np.exp(-x1) + np.exp(-x2) - 1.0001)


def brown_badly_scaled(x):
    x1, x2 = _c(x, 0, 1)
    return _s(x1 - 1e6, x2 - 2e-6, x1 * x2 - 2)


def beale(x):
    x1, x2 = x[..., 0:1], x[..., 1:2]
    i = np.arange(1, 4)
    return np.array([1.5, 2.25, 2.625]) - x1 * (1 - x2**i)


def jennrich_sampson(x):
    x1, x2 = x[..., 0:1], x[..., 1:2]
    i = np.arange(1, 11)
    return 2 + 2 * i - (np.exp(i * x1) + np.exp(i * x2))


def helical_valley(x):
    x1, x2, x3 = _c(x, 0, 1, 2)
    theta = np.arctan(x2 / x1) / (2 * np.pi) + np.where(x1.real < 0, 0.5, 0.0)
    return _s(10 * (x3 - 10 * theta), 10 * (np.sqrt(x1**2 + x2**2) - 1), x3)


_BARD_Y = np.array([0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96,
                    1.34, 2.10, 4.39])  # fmt: skip


def bard(x):
    x1, x2, x3 = x[..., 0:1], x[..., 1:2], x[..., 2:3]
    u = np.arange(1.0, 16.0)
    v = 16.0 - u
    w = np.minimum(u, v)
    return _BARD_Y - (x1 + u / (v * x2 + w * x3))


_GAUSS_Y = np.array([0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521,
                     0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009])  # fmt: skip


def gaussian(x):
    x1, x2, x3 = x[..., 0:1], x[..., 1:2], x[..., 2:3]
    t = (8.0 - np.arange(1, 16)) / 2
    return x1 * np.exp(-x2 * (t - x3) ** 2 / 2) - _GAUSS_Y


_MEYER_Y = np.array([34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261, 7030, 6005,
                     5147, 4427, 3820, 3307, 2872], dtype=float)  # fmt: skip


def meyer(x):
    x1, x2, x3 = x[..., 0:1], x[..., 1:2], x[..., 2:3]
    t = 45.0 + 5 * np.arange(1, 17)
    return x1 * np.exp(x2 / (t + x3)) - _MEYER_Y


def gulf(x, m=99):
    x1, x2, x3 = x[..., 0:1], x[..., 1:2], x[..., 2:3]
    t = np.arange(1, m + 1) / 100
    y = 25 + (-50 * np.log(t)) ** (2 / 3)
    return np.exp(-(((y - x2) ** 2) ** (x3 / 2)) / x1) - t


def box3d(x):
    x1, x2, x3 = x[..., 0:1], x[..., 1:2], x[..., 2:3]
    t = 0.1 * np.arange(1, 11)
    return np.exp(-t * x1) - np.exp(-t * x2) - x3 * (np.exp(-t) - np.exp(-10 * t))


def powell_singular(x):
    x1, x2, x3, x4 = _c(x, 0, 1, 2, 3)
    return _s(x1 + 10 * x2, np.sqrt(5) * (x3 - x4), (x2 - 2 * x3) ** 2,
              np.sqrt(10) * (x1 - x4) ** 2)  # fmt: skip


def wood(x):
    x1, x2, x3, x4 = _c(x, 0, 1, 2, 3)
    return _s(10 * (x2 - x1**2), 1 - x1, np.sqrt(90) * (x4 - x3**2), 1 - x3,
              np.sqrt(10) * (x2 + x4 - 2), (x2 - x4) / np.sqrt(10))  # fmt: skip


_KO_Y = np.array([0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323,
                  0.0235, 0.0246])  # fmt: skip
_KO_U = np.array([4, 2, 1, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625])


def kowalik_osborne(x):
    x1, x2, x3, x4 = (x[..., j : j + 1] for j in range(4))
    u = _KO_U
    return _KO_Y - x1 * (u**2 + u * x2) / (u**2 + u * x3 + x4)


def brown_dennis(x):
    x1, x2, x3, x4 = (x[..., j : j + 1] for j in range(4))
    t = np.arange(1, 21) / 5
    return (x1 + t * x2 - np.exp(t)) ** 2 + (x3 + x4 * np.sin(t) - np.cos(t)) ** 2


_OS1_Y = np.array([0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
                   0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
                   0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411,
                   0.406])  # fmt: skip


def osborne1(x):
    x1, x2, x3, x4, x5 = (x[..., j : j + 1] for j in range(5))
    t = 10.0 * np.arange(33)
    return _OS1_Y - (x1 + x2 * np.exp(-t * x4) + x3 * np.exp(-t * x5))


def biggs_exp6(x):
    x1, x2, x3, x4, x5, x6 = (x[..., j : j + 1] for j in range(6))
    t = 0.1 * np.arange(1, 14)
    y = np.exp(-t) - 5 * np.exp(-10 * t) + 3 * np.exp(-4 * t)
    return x3 * np.exp(-t * x1) - x4 * np.exp(-t * x2) + x6 * np.exp(-t * x5) - y


_OS2_Y = np.array([1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746,
                   0.679, 0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649,
                   0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395,
                   0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653,
                   0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739,
                   0.710, 0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098,
                   0.054])  # fmt: skip


def osborne2(x):
    c = [x[..., j : j + 1] for j in range(11)]
    t = np.arange(65) / 10
    model = c[0] * np.exp(-t * c[4])
    for k in range(3):  # three Gaussian bumps
        model = model + c[1 + k] * np.exp(-((t - c[8 + k]) ** 2) * c[5 + k])
    return _OS2_Y - model


def watson(x):
    n = x.shape[-1]
    t = (np.arange(1, 30) / 29)[:, None]  # (29, 1)
    j = np.arange(n)
    xe = x[..., None, :]
    s1 = np.sum(j[1:] * xe[..., 1:] * t ** (j[1:] - 1), axis=-1)
    s2 = np.sum(xe * t**j, axis=-1)
    r = s1 - s2**2 - 1
    x1, x2 = x[..., 0:1], x[..., 1:2]
    return np.concatenate([r, x1, x2 - x1**2 - 1], axis=-1)


def ext_rosenbrock(x):
    a, b = x[..., 0::2], x[..., 1::2]
    return np.stack([10 * (b - a**2), 1 - a], axis=-1).reshape(*x.shape[:-1], -1)


def ext_powell(x):
    a, b, c, d = (x[..., k::4] for k in range(4))
    r = np.stack([a + 10 * b, np.sqrt(5) * (c - d), (b - 2 * c) ** 2,
                  np.sqrt(10) * (a - d) ** 2], axis=-1)  # fmt: skip
    return r.reshape(*x.shape[:-1], -1)


def penalty1(x):
    s = np.sum(x**2, axis=-1, keepdims=True)
    return np.concatenate([np.sqrt(1e-5) * (x - 1), s - 0.25], axis=-1)


def penalty2(x):
    n = x.shape[-1]
    a = np.sqrt(1e-5)
    i = np.arange(2, n + 1)
    y = np.exp(i / 10) + np.exp((i - 1) / 10)
    e = np.exp(x / 10)
    r1 = x[..., 0:1] - 0.2
    r2 = a * (e[..., 1:] + e[..., :-1] - y)
    r3 = a * (e[..., 1:] - np.exp(-0.1))
    r4 = np.sum((n - np.arange(n)) * x**2, axis=-1, keepdims=True) - 1
    return np.concatenate([r1, r2, r3, r4], axis=-1)


def variably_dimensioned(x):
    n = x.shape[-1]
    s = np.sum(np.arange(1, n + 1) * (x - 1), axis=-1, keepdims=True)
    return np.concatenate([x - 1, s, s**2], axis=-1)


def trigonometric(x):
    n = x.shape[-1]
    c = np.cos(x)
    return n - np.sum(c, axis=-1, keepdims=True) + np.arange(1, n + 1) * (1 - c) - np.sin(x)


def brown_almost_linear(x):
    n = x.shape[-1]
    s = np.sum(x, axis=-1, keepdims=True)
    return np.concatenate([x[..., :-1] + s - (n + 1), np.prod(x, axis=-1, keepdims=True) - 1],
                          axis=-1)  # fmt: skip


def _pad(x):
    z = np.zeros((*x.shape[:-1], 1), dtype=x.dtype)
    return np.concatenate([z, x, z], axis=-1)


def discrete_bv(x):
    n = x.shape[-1]
    h = 1 / (n + 1)
    t = h * np.arange(1, n + 1)
    xp = _pad(x)
    return 2 * x - xp[..., :-2] - xp[..., 2:] + h**2 * (x + t + 1) ** 3 / 2


def discrete_integral(x):
    n = x.shape[-1]
    h = 1 / (n + 1)
    t = h * np.arange(1, n + 1)
    c = (x + t + 1) ** 3
    lower = np.cumsum(t * c, axis=-1)  # sum over j <= i
    upper = np.sum((1 - t) * c, axis=-1, keepdims=True) - np.cumsum((1 - t) * c, axis=-1)
    return x + h * ((1 - t) * lower + t * upper) / 2


def broyden_tridiagonal(x):
    xp = _pad(x)
    return (3 - 2 * x) * x - xp[..., :-2] - 2 * xp[..., 2:] + 1


def broyden_banded(x):
    n = x.shape[-1]
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]
    band = ((j >= i - 5) & (j <= i + 1) & (j != i)).astype(float)
    return x * (2 + 5 * x**2) + 1 - (x * (1 + x)) @ band.T


def linear_full_rank(x, m=20):
    n = x.shape[-1]
    s = np.sum(x, axis=-1, keepdims=True)
    top = x - 2 * s / m - 1
    rest = np.broadcast_to(-2 * s / m - 1, (*x.shape[:-1], m - n))
    return np.concatenate([top, rest], axis=-1)


def linear_rank1(x, m=20):
    n = x.shape[-1]
    s = np.sum(np.arange(1, n + 1) * x, axis=-1, keepdims=True)
    return np.arange(1, m + 1) * s - 1


def linear_rank1_zero(x, m=20):
    n = x.shape[-1]
    s = np.sum(np.arange(2, n) * x[..., 1:-1], axis=-1, keepdims=True)
    return np.concatenate([s * 0 - 1, np.arange(1, m - 1) * s - 1, s * 0 - 1], axis=-1)


def chebyquad(x):
    n = x.shape[-1]
    y = 2 * x - 1
    T_prev, T = np.ones_like(y), y
    rows = []
    for i in range(1, n + 1):  # Chebyshev recurrence, one degree per step
        exact = 0.0 if i % 2 else -1.0 / (i * i - 1)
        rows.append(np.mean(T, axis=-1) - exact)
        T_prev, T = T, 2 * y * T - T_prev
    return np.stack(rows, axis=-1)


def _x(*v):
    return np.array(v, dtype=float)


N = 10
_t = np.arange(1, N + 1) / (N + 1)
PROBLEMS = [
    Problem(1, "Rosenbrock", rosenbrock, _x(-1.2, 1), (0.0,)),
    Problem(2, "Freudenstein-Roth", freudenstein_roth, _x(0.5, -2), (0.0, 48.9842536792400)),
    Problem(3, "Powell badly scaled", powell_badly_scaled, _x(0, 1), (0.0,)),
    Problem(4, "Brown badly scaled", brown_badly_scaled, _x(1, 1), (0.0,)),
    Problem(5, "Beale", beale, _x(1, 1), (0.0,)),
    Problem(6, "Jennrich-Sampson", jennrich_sampson, _x(0.3, 0.4), (124.362182356,)),
    Problem(7, "Helical valley", helical_valley, _x(-1, 0, 0), (0.0,)),
    Problem(8, "Bard", bard, _x(1, 1, 1), (8.21487730657e-3, 17.4286)),
    Problem(9, "Gaussian", gaussian, _x(0.4, 1, 0), (1.12793276961e-8,)),
    Problem(10, "Meyer", meyer, _x(0.02, 4000, 250), (87.9458551704,)),
    Problem(11, "Gulf research", gulf, _x(5, 2.5, 0.15), (0.0,)),
    Problem(12, "Box 3-D", box3d, _x(0, 10, 20), (0.0,)),
    Problem(13, "Powell singular", powell_singular, _x(3, -1, 0, 1), (0.0,)),
    Problem(14, "Wood", wood, _x(-3, -1, -3, -1), (0.0,)),
    Problem(
        15, "Kowalik-Osborne", kowalik_osborne, _x(0.25, 0.39, 0.415, 0.39), (3.07505603849e-4,)
    ),
    Problem(16, "Brown-Dennis", brown_dennis, _x(25, 5, -5, -1), (85822.2016263563,)),
    Problem(17, "Osborne 1", osborne1, _x(0.5, 1.5, -1, 0.01, 0.02), (5.46489469748e-5,)),
    Problem(18, "Biggs EXP6", biggs_exp6, _x(1, 2, 1, 1, 1, 1), (0.0, 5.65564992550e-3)),
    Problem(
        19,
        "Osborne 2",
        osborne2,
        _x(1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5),
        (4.01377362935e-2,),
    ),
    Problem(20, "Watson (n=9)", watson, np.zeros(9), (1.39976013810e-6,)),
    Problem(21, "Extended Rosenbrock (n=10)", ext_rosenbrock, np.tile(_x(-1.2, 1), 5), (0.0,)),
    Problem(22, "Extended Powell (n=12)", ext_powell, np.tile(_x(3, -1, 0, 1), 3), (0.0,)),
    Problem(23, "Penalty I (n=10)", penalty1, np.arange(1.0, N + 1), (7.08765146709e-5,)),
    Problem(24, "Penalty II (n=10)", penalty2, np.full(N, 0.5), (2.93660537457e-4,)),
    Problem(
        25, "Variably dimensioned (n=10)", variably_dimensioned, 1 - np.arange(1, N + 1) / N, (0.0,)
    ),
    Problem(26, "Trigonometric (n=10)", trigonometric, np.full(N, 1 / N), (0.0, 2.79505612188e-5)),
    Problem(27, "Brown almost-linear (n=10)", brown_almost_linear, np.full(N, 0.5), (0.0, 1.0)),
    Problem(28, "Discrete boundary value (n=10)", discrete_bv, _t * (_t - 1), (0.0,)),
    Problem(29, "Discrete integral equation (n=10)", discrete_integral, _t * (_t - 1), (0.0,)),
    Problem(30, "Broyden tridiagonal (n=10)", broyden_tridiagonal, np.full(N, -1.0), (0.0,)),
    Problem(31, "Broyden banded (n=10)", broyden_banded, np.full(N, -1.0), (0.0,)),
    Problem(32, "Linear full rank (n=10, m=20)", linear_full_rank, np.ones(N), (10.0,)),
    Problem(33, "Linear rank 1 (n=10, m=20)", linear_rank1, np.ones(N), (380 / 82,)),
    Problem(
        34, "Linear rank 1, zero rows/cols (n=10, m=20)", linear_rank1_zero, np.ones(N), (454 / 74,)
    ),
    Problem(35, "Chebyquad (n=8)", chebyquad, np.arange(1, 9) / 9, (3.51687372568e-3,)),
]
