"""Model files: skops (never pickle), an explicit list of trusted types, checked metadata.

A file holds ``{"format": "m4ml-model", "metadata": {...}, "model": estimator}``. Loading first
asks skops which types the file would construct; if any is outside :func:`trusted_types` the
file is refused before anything in it is built or run.
"""

import io
import warnings

from m4ml.cli.errors import DataError

__all__ = ["FORMAT", "dump_model", "load_model", "trusted_types"]

FORMAT = "m4ml-model"
FORMAT_VERSION = 1
MODEL_FILE = "model.skops"

_BASE_TRUSTED = [
    "numpy.dtype",
    "m4ml.report.tabular.TabularClassifier",
    "m4ml.report.tabular.TabularRegressor",
    "m4ml.report.tabular.CategoryCap",
    "m4ml.report.baselines.DummyClassifier",
    "m4ml.report.baselines.DummyRegressor",
    "m4ml.report.baselines.MixtureClassifier",
    "m4ml.pipeline.impute.SimpleImputer",
    "m4ml.pipeline.scale.StandardScaler",
    "m4ml.pipeline.encode.OneHotEncoder",
    # state the fitted MLPs keep (their solver, for warm starts and partial_fit)
    "m4ml.models._mlp_optimizers.MLPAdam",
    "m4ml.models._mlp_optimizers.MLPSGD",
]


def trusted_types():
    """Every type a model file written by ``m4ml fit`` may contain, by its full name.

    The data steps, the wrappers and baselines, and the class of every model in the registry
    that is available in this m4ml (``module.Class`` of where it is defined).
    """
    from m4ml.cli.registry import MODELS

    names = list(_BASE_TRUSTED)
    for spec in MODELS.values():
        for task in spec.builds:
            cls = spec.resolve(task)
            if cls is not None:
                names.append(f"{cls.__module__}.{cls.__qualname__}")
    if MODELS["gmm"].resolve("classification") is not None:
        try:
            from m4ml.models import GaussianMixture

            names.append(f"{GaussianMixture.__module__}.{GaussianMixture.__qualname__}")
        except (ImportError, AttributeError):
            pass
    return sorted(set(names))


def dump_model(model, metadata):
    """The bytes of a model file for ``model`` with ``metadata`` (a JSON-like dict)."""
    import skops.io as sio

    return sio.dumps(
        {"format": FORMAT, "format_version": FORMAT_VERSION, "metadata": metadata, "model": model}
    )


def load_model(path):
    """``(model, metadata)`` from a model file or a fit folder holding ``model.skops``.

    Raises
    ------
    DataError
        Not a model file, a type outside the trusted list (nothing is constructed then), or
        missing metadata.
    """
    from pathlib import Path

    import skops.io as sio

    import m4ml

    path = Path(path)
    if path.is_dir():
        path = path / MODEL_FILE
        if not path.is_file():
            raise DataError(
                f"{path.parent} holds no {MODEL_FILE}; give the model file or the "
                "folder 'm4ml fit' wrote"
            )
    import zipfile

    if not zipfile.is_zipfile(path):  # cheap check before importing skops
        raise DataError(f"{path} is not an m4ml model file (not a skops archive)")
    data = path.read_bytes()
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception:
        raise DataError(f"{path} is not an m4ml model file (not a skops archive)") from None
    trusted = trusted_types()
    foreign = sorted(set(untrusted) - set(trusted))
    if foreign:
        raise DataError(
            f"{path} contains types m4ml does not trust, so it was not loaded: {', '.join(foreign)}"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            content = sio.load(io.BytesIO(data), trusted=sorted(set(untrusted)))
    except Exception as exc:
        raise DataError(f"{path} could not be loaded as an m4ml model: {exc}") from None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise DataError(f"{path} is a skops file but not one written by 'm4ml fit'")
    metadata = content.get("metadata") or {}
    for key in ("m4ml_version", "task", "target", "features"):
        if key not in metadata:
            raise DataError(f"{path} lacks the metadata field {key!r}")
    if metadata["m4ml_version"] != m4ml.__version__:
        warnings.warn(
            f"{path} was written by m4ml {metadata['m4ml_version']}; this is m4ml "
            f"{m4ml.__version__}",
            UserWarning,
            stacklevel=2,
        )
    return content["model"], metadata
