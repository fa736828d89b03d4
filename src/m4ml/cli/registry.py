"""The candidate models of ``m4ml fit``: one entry per ``--models`` name.

Each entry names, per task, the estimator class it builds and where that class lives. A class
that has not landed in :mod:`m4ml.models` yet makes its entry unavailable: it is skipped from
the defaults (listed as pending) and refused when asked for by name. Nothing is ever
substituted (no scikit-learn estimator stands in for a missing m4ml one).
"""

import importlib
from dataclasses import dataclass, field

__all__ = ["MODELS", "ModelSpec", "available", "default_names", "parse_names"]


@dataclass(frozen=True)
class ModelSpec:
    """One ``--models`` name: per task, ``(module, class name, constructor kwargs)``."""

    name: str
    description: str
    builds: dict
    grid: dict = field(default_factory=dict)  # hyper-parameter grid for --search
    linear: bool = False  # has coef_ worth tabulating
    default_for: tuple = ()

    def resolve(self, task):
        """The estimator class for ``task``, or None when it has not landed (or no such task).

        The module may be a tuple of places to look, in order (the MLPs may be exported by
        ``m4ml.models`` or by ``m4ml.nn``).
        """
        if task not in self.builds:
            return None
        modules, name, _ = self.builds[task]
        for module in (modules,) if isinstance(modules, str) else modules:
            try:
                return getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                continue
        return None

    def where(self, task):
        """``module.Class`` the entry needs for ``task``."""
        modules, name, _ = self.builds[task]
        first = modules if isinstance(modules, str) else modules[0]
        return f"{first}.{name}"

    def make(self, task):
        """A fresh, unfitted estimator for ``task`` (the class must be available)."""
        cls = self.resolve(task)
        if cls is None:
            raise LookupError(f"{self.name} is not available for {task}")
        kwargs = dict(self.builds[task][2])
        if self.name == "gmm":
            mixture = self._mixture()
            return cls(mixture=mixture(**kwargs))
        return cls(**kwargs)

    def _mixture(self):
        from m4ml.models import GaussianMixture

        return GaussianMixture


_C = "classification"
_R = "regression"
_BASE = "m4ml.report.baselines"
_MODELS = "m4ml.models"


def _gmm_available():
    try:
        importlib.import_module(_MODELS).GaussianMixture  # noqa: B018 - lazy attribute
    except (ImportError, AttributeError):
        return False
    return True


MODELS = {
    spec.name: spec
    for spec in [
        ModelSpec(
            "dummy",
            "baseline: majority class / training mean",
            {_C: (_BASE, "DummyClassifier", {}), _R: (_BASE, "DummyRegressor", {})},
            default_for=(_C, _R),
        ),
        ModelSpec(
            "linear",
            "least squares (QR)",
            {_R: (_MODELS, "LinearRegression", {})},
            linear=True,
            default_for=(_R,),
        ),
        ModelSpec(
            "ridge",
            "L2-penalized least squares",
            {_R: (_MODELS, "Ridge", {})},
            grid={"alpha": [0.01, 0.1, 1.0, 10.0, 100.0]},
            linear=True,
            default_for=(_R,),
        ),
        ModelSpec(
            "lasso",
            "L1-penalized least squares (coordinate descent)",
            {_R: (_MODELS, "Lasso", {"alpha": 1.0, "max_iter": 10000})},
            grid={"alpha": [0.01, 0.1, 1.0, 10.0]},
            linear=True,
            default_for=(_R,),
        ),
        ModelSpec(
            "logistic",
            "multinomial logistic regression",
            {_C: (_MODELS, "LogisticRegression", {"max_iter": 1000})},
            grid={"C": [0.01, 0.1, 1.0, 10.0, 100.0]},
            linear=True,
            default_for=(_C,),
        ),
        ModelSpec(
            "naive_bayes",
            "Gaussian naive Bayes",
            {_C: (_MODELS, "GaussianNB", {})},
            grid={"var_smoothing": [1e-9, 1e-6, 1e-3]},
            default_for=(_C,),
        ),
        ModelSpec(
            "svm",
            "support vector machine, RBF kernel",
            {
                _C: (_MODELS, "SVC", {"probability": True, "random_state": 0}),
                _R: (_MODELS, "SVR", {}),
            },
            grid={"C": [0.1, 1.0, 10.0]},
            default_for=(_C,),
        ),
        ModelSpec(
            "mlp",
            "multi-layer perceptron (m4ml.nn)",
            {
                _C: (
                    (_MODELS, "m4ml.nn"),
                    "MLPClassifier",
                    {"hidden_layer_sizes": (32,), "max_iter": 500, "random_state": 0},
                ),
                _R: (
                    (_MODELS, "m4ml.nn"),
                    "MLPRegressor",
                    {"hidden_layer_sizes": (32,), "max_iter": 1000, "random_state": 0},
                ),
            },
            grid={"alpha": [1e-4, 1e-2, 1.0]},
        ),
        ModelSpec(
            "gmm",
            "class-conditional Gaussian mixtures (Bayes' rule)",
            {_C: (_BASE, "MixtureClassifier", {"n_components": 2, "random_state": 0})},
        ),
    ]
}


def available(name, task):
    """Whether the ``--models`` entry ``name`` can run for ``task`` in this m4ml."""
    spec = MODELS[name]
    if spec.resolve(task) is None:
        return False
    return name != "gmm" or _gmm_available()


def default_names(task):
    """(available defaults, pending defaults) for ``task``."""
    names = [n for n, s in MODELS.items() if task in s.default_for]
    return [n for n in names if available(n, task)], [n for n in names if not available(n, task)]


def parse_names(text, task):
    """The model names of ``--models a,b,c`` for ``task``; dummy is always included.

    Raises
    ------
    UsageProblem
        An unknown name, or a name that does not apply to ``task``.
    DataError
        A known name whose m4ml class has not landed yet.
    """
    from m4ml.cli.errors import DataError, UsageProblem

    if text is None:
        names, _ = default_names(task)
        return names
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        raise UsageProblem(
            f"unknown model name(s) {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(MODELS)}"
        )
    wrong = [n for n in names if task not in MODELS[n].builds]
    if wrong:
        raise UsageProblem(f"model(s) {', '.join(wrong)} do not apply to {task}")
    missing = [n for n in names if not available(n, task)]
    if missing:
        where = ", ".join(f"{n} ({MODELS[n].where(task)})" for n in missing)
        raise DataError(
            f"not yet available in this m4ml: {where}; available for {task}: "
            f"{', '.join(n for n in MODELS if available(n, task))}"
        )
    if "dummy" not in names:
        names.insert(0, "dummy")
    return list(dict.fromkeys(names))
