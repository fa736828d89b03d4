"""Per-callable baseline calls for the bad-input catalogue (tests/_catalogue.py).

Most public callables take one of the catalogue's generic argument tuples. The rest (solvers
that need a problem, functions of functions, classes used through a method, estimators that
need a parameter or particular data) are listed here by qualified name:

* ``FUNCTIONS[name](obj) -> (call, args)``: ``call(*args)`` is a well-behaved call; each
  array in ``args`` is then replaced by the bad variants. ``call`` is ``obj`` itself or a small
  wrapper that names the arrays it varies (its parameters with default None are optional, so a
  None there is not a bad input);
* ``ESTIMATORS[name](cls) -> (make, args)``: ``make()`` builds the estimator, ``args`` the
  ``X`` (and ``y``) to fit;
* ``DISTRIBUTIONS[name]``: the parameters of a well-behaved instance.
"""

import functools

import numpy as np

_RNG = np.random.default_rng(1)
_G = np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0], [-1.0, 0.0, 0.0, 0.0]])
_H = np.array([2.0, 2.0, 1.0])
_P = np.diag([2.0, 1.0, 3.0, 1.5])
_Q = np.array([-1.0, -2.0, 0.5, -0.5])
_A2 = np.array([[3.0, 1.0], [1.0, 2.0]])
_X40 = _RNG.normal(size=(40, 3))
_Y40 = (_X40[:, 0] + 0.3 * _RNG.normal(size=40) > 0).astype(int)
_YREG = _X40 @ np.array([1.0, -2.0, 0.5]) + 0.1 * _RNG.normal(size=40)
_COUNTS = _RNG.integers(0, 6, size=(40, 3)).astype(float)
_JOINT = np.array([[0.3, 0.1], [0.2, 0.4]])
_MARKOV = np.array([[0.9, 0.1], [0.4, 0.6]])


def _quad(w):
    return (w * w).sum() + 0.5 * w.sum() ** 2


def _peak(w):
    """A loss without arithmetic of its own (no overflow at 1e308): the largest |w_i|."""
    return float(np.abs(w).max())


def _quad_and_grad(w):
    return float(w @ w), 2.0 * w


def _max_gap(a, b):
    """A statistic without arithmetic (no overflow of its own at 1e308)."""
    return float(np.max(a) > np.max(b))


def _step(opt, params, grads):
    """Two steps of an optimizer from ``params`` along the gradients ``grads``."""
    state = opt.init(params)
    for _ in range(2):
        params, state = opt.step(params, grads, state)
    return params


def _closing(plot):
    """A plot function that closes its figure (so that many calls open no figures)."""

    @functools.wraps(plot)
    def call(*args, **kwargs):
        import matplotlib.pyplot as plt

        ax = plot(*args, **kwargs)
        plt.close(ax.figure)

    return call


def _linprog_core(result):
    return result.x, result.fun, result.status


def _linalg():
    import m4ml.linalg as la

    lu, piv = la.lu_factor(_A2)
    return {
        "cross": lambda f: (f, (np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0]))),
        "eigh_tridiagonal": lambda f: (f, (np.array([2.0, 3.0, 4.0]), np.array([1.0, 0.5]))),
        "inverse_iteration": lambda f: (lambda A: f(A, 1.0, rng=0), (_A2,)),
        "lu_solve": lambda f: (lambda lu, piv, b: f((lu, piv), b), (lu, piv, np.ones(2))),
        "matrix_power": lambda f: (lambda a: f(a, 3), (_A2,)),
        "randomized_svd": lambda f: (lambda A: f(A, 2, rng=0), (_X40,)),
    }


def _calculus():
    def f2(y, x):
        return x * y + 1.0

    def f3(z, y, x):
        return x + y * z

    return {
        "dblquad": lambda f: (lambda a, b: f(f2, a, b, 0.0, 1.0), (np.array(0.0), np.array(1.0))),
        "tplquad": lambda f: (
            lambda a, b: f(f3, a, b, 0.0, 1.0, 0.0, 1.0),
            (np.array(0.0), np.array(1.0)),
        ),
        "nquad": lambda f: (
            lambda ranges: f(lambda x, y: x * y, ranges),
            (np.array([[0, 1.0]] * 2),),
        ),
        "monte_carlo_integrate": lambda f: (
            lambda bounds: f(lambda x: (x**2).sum(axis=-1), bounds, n=256, rng=0),
            (np.array([[0.0, 1.0], [0.0, 2.0]]),),
        ),
    }


def _optim():
    import m4ml.optim as opt

    qp = opt.solve_qp(_P, _Q, _G, _H)
    x, z = np.asarray(qp.x), np.asarray(qp.z)

    def lsq(w):
        r = _X40 @ w - _YREG
        return 0.5 * (r * r).sum()

    def lsq_grad(w):
        return _X40.T @ (_X40 @ w - _YREG)

    def loss_fn(params, X, y):
        r = X @ params - y
        return (r * r).mean()

    return {
        "solve_qp": lambda f: (lambda P, q, G=None, h=None: f(P, q, G, h), (_P, _Q, _G, _H)),
        "kkt_residuals": lambda f: (
            lambda P, q, G, h, x, z=None: f(P, q, G, h, x=x, z=z),
            (_P, _Q, _G, _H, x, z),
        ),
        "duality_gap": lambda f: (
            lambda P, q, G, h, x, z=None: f(P, q, G, h, x=x, z=z),
            (_P, _Q, _G, _H, x, z),
        ),
        "dual_function": lambda f: (
            lambda P, q, G, h, z=None: f(P, q, G, h)(z=z),
            (_P, _Q, _G, _H, z),
        ),
        "primal_objective": lambda f: (f, (_P, _Q, x)),
        "linprog": lambda f: (
            # the result's upper-bound residuals are +inf where x has no upper bound (SciPy's
            # convention), so the solution, value and status are checked
            lambda c, A_ub, b_ub: _linprog_core(f(c, A_ub, b_ub)),
            (np.array([-1.0, -2.0]), np.array([[1.0, 1.0], [1.0, -1.0]]), np.array([4.0, 2.0])),
        ),
        "armijo_backtracking": lambda f: (
            lambda x, p, g0: f(lambda w: float(w @ w), x, p, 30.0, g0),
            (np.array([1.0, 2.0, 5.0]), np.array([-2.0, -4.0, -10.0]), np.array([2.0, 4.0, 10.0])),
        ),
        "strong_wolfe": lambda f: (
            lambda x, p, g0: f(_quad_and_grad, x, p, 30.0, g0),
            (np.array([1.0, 2.0, 5.0]), np.array([-2.0, -4.0, -10.0]), np.array([2.0, 4.0, 10.0])),
        ),
        "clip_by_value": lambda f: (lambda grads: f(grads, -0.5, 0.5), (_Q,)),
        "hinge": lambda f: (f, (np.array([1.0, -1.0, 1.0, -1.0]), np.array([0.3, -2.0, 1.5, 0.2]))),
        "squared_hinge": lambda f: (
            f,
            (np.array([1.0, -1.0, 1.0, -1.0]), np.array([0.3, -2.0, 1.5, 0.2])),
        ),
        "curve_fit": lambda f: (
            lambda xdata, ydata: f(lambda t, a, b: a * t + b, xdata, ydata),
            (_X40[:, 0], 2.0 * _X40[:, 0] + 1.0 + 0.1 * _X40[:, 1]),
        ),
        "proximal_gradient": lambda f: (
            lambda x0: f(lsq, x0, jac=lsq_grad, alpha=0.5),
            (np.zeros(3),),
        ),
        "lagrange": lambda f: (
            lambda x0: f(lambda w: (w * w).sum(), [lambda w: w.sum() - 1.0], x0),
            (np.array([1.0, 0.0]),),
        ),
        "is_convex": lambda f: (
            lambda lo, hi: f(lambda w: float(w @ w), (lo, hi), n_samples=20, rng=0, n_hessian=3),
            (np.array([-1.0, -1.0]), np.array([1.0, 1.0])),
        ),
        "fit_gd": lambda f: (
            lambda params, X, y: f(loss_fn, params, X, y, opt.SGD(0.01), epochs=3, rng=0),
            (np.zeros(3), _X40, _YREG),
        ),
        "hessian_eigenvalues": lambda f: (lambda params: f(_quad, params, k=2, rng=0), (_Q,)),
        "hessian_trace": lambda f: (lambda params: f(_quad, params, n_samples=10, rng=0), (_Q,)),
        "hessian_spectral_density": lambda f: (
            lambda params: f(_quad, params, n_iter=4, n_vectors=2, rng=0),
            (_Q,),
        ),
        "loss_slice_1d": lambda f: (
            lambda params, alphas: f(_peak, params, alphas, rng=0),
            (_Q, np.linspace(-1.0, 1.0, 5)),
        ),
        "interpolate_losses": lambda f: (
            lambda a, b, alphas: f(_peak, a, b, alphas),
            (_Q, 2.0 * _Q, np.linspace(-1.0, 2.0, 7)),
        ),
        "loss_slice_2d": lambda f: (
            lambda params, alphas, betas: f(_peak, params, alphas, betas, rng=0),
            (_Q, np.linspace(-1.0, 1.0, 5), np.linspace(-1.0, 1.0, 4)),
        ),
        "plot_loss_surface": lambda f: (
            _closing(f),
            (*np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 4)), _RNG.random((4, 5))),
        ),
        **{
            name: lambda cls, kw=kw: (
                lambda params, grads: _step(cls(**kw), params, grads),
                (np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.1, -0.2])),
            )
            for name, kw in (
                ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
                ("Adam", {"learning_rate": 0.1}),
                ("AdamW", {"learning_rate": 0.1}),
                ("AdaGrad", {"learning_rate": 0.1}),
                ("RMSprop", {"learning_rate": 0.1}),
            )
        },
        "grid_search": lambda f: (
            lambda values: f(lambda a: (a - 0.3) ** 2, {"a": values}),
            (np.linspace(0.0, 1.0, 5),),
        ),
        "random_search": lambda f: (
            lambda values: f(lambda a: (a - 0.3) ** 2, {"a": values}, n_iter=4, rng=0),
            (np.linspace(0.0, 1.0, 5),),
        ),
    }


def _probability():
    return {
        "conditional_entropy": lambda f: (f, (_JOINT,)),
        "mutual_information": lambda f: (f, (_JOINT,)),
        "MarkovChain": lambda cls: (lambda P: cls(P).stationary_distribution(), (_MARKOV,)),
        "ProbabilitySpace": lambda cls: (
            lambda probabilities=None: cls(["a", "b", "c", "d"], probabilities).P({"a", "b"}),
            (np.array([0.1, 0.2, 0.3, 0.4]),),
        ),
    }


def _stats():
    from m4ml.probability import Beta, Normal

    def conjugate(make, data):
        return lambda cls: (lambda data: make(cls).update(data).posterior_predictive(), (data,))

    return {
        "binomtest": lambda f: (lambda k: f(k, 10, 0.4), (np.array(7),)),
        "proportion_ci": lambda f: (lambda k, n: f(k, n), (np.array(7), np.array(10))),
        "credible_interval": lambda f: (lambda level: f(Beta(3.0, 5.0), level), (np.array(0.9),)),
        "hpd_interval": lambda f: (lambda level: f(Beta(3.0, 5.0), level), (np.array(0.9),)),
        "ks_1samp": lambda f: (lambda x: f(x, Normal(0.0, 1.0).cdf), (_X40[:, 0],)),
        "metropolis_hastings": lambda f: (
            lambda x0: f(lambda w: -0.5 * float(w @ w), x0, 60, rng=0, burn_in=10),
            (np.array([0.5, -0.5]),),
        ),
        "permutation_test": lambda f: (
            lambda x, y: f((x, y), _max_gap, n_resamples=99, rng=0),
            (_X40[:20, 0], _X40[20:, 1] + 0.5),
        ),
        "log_evidence": lambda f: (
            lambda eig: f(1.0, 2.0, eig, 3.5, 0.8, 40, 3),
            (np.array([5.0, 3.0, 1.0]),),
        ),
        "BetaBinomial": conjugate(lambda cls: cls(2.0, 3.0), np.array([1, 0, 1, 1, 0])),
        "GammaPoisson": conjugate(lambda cls: cls(2.0, 1.0), np.array([3, 1, 4, 1, 5])),
        "NormalKnownVariance": conjugate(lambda cls: cls(0.0, 2.0, 1.0), _X40[:10, 0]),
        "NormalInverseGamma": conjugate(lambda cls: cls(0.0, 1.0, 2.0, 2.0), _X40[:10, 0]),
        "DirichletMultinomial": conjugate(
            lambda cls: cls(np.array([1.0, 2.0, 1.5])), np.array([3, 0, 2])
        ),
        "NormalInverseGammaDistribution": lambda cls: (
            lambda mu, x: cls(mu, 2.0, 3.0, 1.5).logpdf(x, 1.2),
            (np.array(0.5), np.array([0.1, 0.4])),
        ),
        "DirichletMultinomialDistribution": lambda cls: (
            lambda alpha, x: cls(5, alpha).logpmf(x),
            (np.array([1.0, 2.0, 1.5]), np.array([2, 1, 2])),
        ),
    }


def _pipeline():
    from m4ml.models import LinearRegression, LogisticRegression
    from m4ml.pipeline.metrics import accuracy_score

    clf = LogisticRegression().fit(_X40, _Y40)

    def split(splitter, needs_y=False):
        if needs_y:
            return lambda cls: (lambda X, y: list(splitter(cls).split(X, y)), (_X40, _Y40))
        return lambda cls: (lambda X: list(splitter(cls).split(X)), (_X40,))

    return {
        "KFold": split(lambda cls: cls(3)),
        "ShuffleSplit": split(lambda cls: cls(3, random_state=0)),
        "LeaveOneOut": lambda cls: (lambda X: list(cls().split(X)), (_X40[:6],)),
        "StratifiedKFold": split(lambda cls: cls(3), needs_y=True),
        "cross_val_score": lambda f: (
            lambda X, y: f(LogisticRegression(), X, y, cv=3),
            (_X40, _Y40),
        ),
        "cross_validate": lambda f: (
            lambda X, y: f(LinearRegression(), X, y, cv=3)["test_score"],
            (_X40, _YREG),
        ),
        "coefficients_table": lambda f: (
            lambda X, y: f(LinearRegression().fit(X, y), X=X),
            (_X40, _YREG),
        ),
        "partial_dependence": lambda f: (lambda X: f(clf, X, [0], grid_resolution=5), (_X40,)),
        "permutation_importance": lambda f: (
            lambda X, y: f(clf, X, y, n_repeats=2, random_state=0),
            (_X40, _Y40),
        ),
        "parameter_grid": lambda f: (
            lambda values: list(f({"a": values})),
            (np.array([0.1, 1.0]),),
        ),
        "parameter_sample": lambda f: (
            lambda values: list(f({"a": values}, 3, 0)),
            (np.array([0.1, 1.0, 10.0]),),
        ),
        "ConfusionMatrixDisplay": lambda cls: (
            _closing(lambda y_true, y_pred: cls.from_predictions(y_true, y_pred).ax_),
            (_Y40, clf.predict(_X40)),
        ),
        "RocCurveDisplay": lambda cls: (
            _closing(lambda y_true, y_score: cls.from_predictions(y_true, y_score).ax_),
            (_Y40, _X40[:, 0]),
        ),
        "PrecisionRecallDisplay": lambda cls: (
            _closing(lambda y_true, y_score: cls.from_predictions(y_true, y_score).ax_),
            (_Y40, _X40[:, 0]),
        ),
        "metrics.fbeta_score": lambda f: (
            lambda y, p: f(y, p, beta=0.5),
            (_Y40, clf.predict(_X40)),
        ),
        "metrics.roc_curve": lambda f: (lambda y, s: f(y, s)[:2], (_Y40, _X40[:, 0])),
        "metrics.get_scorer": lambda f: (lambda X, y: f("accuracy")(clf, X, y), (_X40, _Y40)),
        "metrics.make_scorer": lambda f: (lambda X, y: f(accuracy_score)(clf, X, y), (_X40, _Y40)),
    }


def _models():
    from m4ml.models import LinearSVC

    svm = LinearSVC().fit(_X40[:, :2], _Y40)
    return {
        "kmeans_plusplus": lambda f: (lambda X: f(X, 3, random_state=0), (_X40,)),
        "svm_dual_qp": lambda f: (
            lambda K, y: f(K, y, 1.0),
            (_X40[:12] @ _X40[:12].T, np.where(_Y40[:12] == 1, 1.0, -1.0)),
        ),
        "plot_decision_boundary": lambda f: (
            _closing(lambda X, y=None: f(svm, X, y, resolution=20)),
            (_X40[:, :2], _Y40),
        ),
    }


def _distributed():
    return {
        "merge_moments": lambda f: (
            lambda a, b: f(_moments(a), _moments(b)),
            (_X40[:20], _X40[20:]),
        ),
    }


def _moments(x):
    from m4ml.distributed.moments import moments

    return moments(x)


_TABLES = (
    ("m4ml.linalg", _linalg),
    ("m4ml.calculus", _calculus),
    ("m4ml.optim", _optim),
    ("m4ml.probability", _probability),
    ("m4ml.stats", _stats),
    ("m4ml.pipeline", _pipeline),
    ("m4ml.models", _models),
    ("m4ml.distributed", _distributed),
)


def functions():
    """``{qualified name: maker}`` for every per-callable baseline of a function or class."""
    out = {}
    for prefix, table in _TABLES:  # built on demand: each table imports what it drives
        try:
            entries = table()
        except ModuleNotFoundError:  # an optional dependency (distributed needs dask)
            continue
        out.update({f"{prefix}.{name}": maker for name, maker in entries.items()})
    return out


def estimators():
    """``{qualified name: (make, args)}`` for estimators that need parameters or other data."""
    from m4ml.models import LogisticRegression

    def search(cls, **kw):
        return lambda: cls(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3, **kw)

    return {
        "m4ml.pipeline.GridSearchCV": lambda cls: (search(cls), (_X40, _Y40)),
        "m4ml.pipeline.RandomizedSearchCV": lambda cls: (
            search(cls, n_iter=2, random_state=0),
            (_X40, _Y40),
        ),
        "m4ml.pipeline.SelectKBest": lambda cls: (lambda: cls(k=2), (_X40, _Y40)),
        "m4ml.models.MultinomialNB": lambda cls: (cls, (_COUNTS, _Y40)),
        "m4ml.models.ComplementNB": lambda cls: (cls, (_COUNTS, _Y40)),
        "m4ml.models.CategoricalNB": lambda cls: (cls, (_COUNTS, _Y40)),
        "m4ml.models.IsotonicRegression": lambda cls: (cls, (_X40[:, 0], _YREG)),
        "m4ml.distributed.MultinomialNB": lambda cls: (cls, (_COUNTS, _Y40)),
    }


DISTRIBUTIONS = {
    "m4ml.probability.Multinomial": (5, np.array([0.2, 0.3, 0.5])),
    "m4ml.stats.BetaBinomialDistribution": (5, 2.0, 3.0),
}
