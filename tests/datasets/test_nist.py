"""NIST StRD sets: parsed certified values reproduced by independent computations (NumPy/SciPy)."""

import numpy as np
import pytest
from scipy import stats

from m4ml.datasets import NIST_DATASETS, load_nist


def test_every_shipped_set_loads_with_its_certified_values():
    for name, kind in NIST_DATASETS.items():
        data = load_nist(name)
        assert data.kind == kind and data.name == name
        assert np.isfinite(data.y).all() and data.certified


@pytest.mark.parametrize("name", ["Lew", "Lottery", "Mavro", "Michelso", "NumAcc1", "NumAcc2"])
def test_univariate_certified_values_match_numpy(name):
    data = load_nist(name)
    y = data.y
    assert np.mean(y) == pytest.approx(data.certified["mean"], rel=1e-12)
    assert np.std(y, ddof=1) == pytest.approx(data.certified["std"], rel=1e-9)
    d = y - y.mean()
    r1 = (d[:-1] @ d[1:]) / (d @ d)
    assert r1 == pytest.approx(data.certified["r1"], rel=1e-7)


@pytest.mark.parametrize("name", ["Norris", "Pontius", "Longley", "Wampler1", "NoInt1"])
def test_linear_certified_coefficients_match_lstsq(name):
    data = load_nist(name)
    beta = data.certified["beta"]
    x = data.X
    if name.startswith("NoInt"):
        A = x
    elif name == "Longley":
        A = np.column_stack([np.ones(len(x)), x])
    else:
        A = np.vander(x[:, 0], len(beta), increasing=True)
    coef = np.linalg.lstsq(A, data.y, rcond=None)[0]
    np.testing.assert_allclose(coef, beta, rtol=1e-6)
    resid = data.y - A @ coef
    centred = 0.0 if name.startswith("NoInt") else data.y.mean()
    df_model, df_resid = A.shape[1] - (not name.startswith("NoInt")), len(data.y) - A.shape[1]
    ss_model = np.sum((data.y - centred) ** 2) - resid @ resid
    if data.certified["F"] == np.inf:  # Wampler1: an exact fit
        assert resid @ resid < 1e-12 * ss_model
    else:
        F = (ss_model / df_model) / (resid @ resid / df_resid)
        assert F == pytest.approx(data.certified["F"], rel=1e-6)
    assert data.certified["beta_sd"].shape == beta.shape
    assert "y =" in data.model


@pytest.mark.parametrize("name", ["SiRstvt", "SmLs01t", "SmLs04", "AtmWtAgt"])
def test_anova_certified_f_matches_scipy(name):
    data = load_nist(name)
    F = stats.f_oneway(*data.groups).statistic
    assert F == pytest.approx(data.certified["F"], rel=1e-6)
    n = sum(len(g) for g in data.groups)
    assert n - len(data.groups) == data.certified["df_within"]
    assert len(data.y) == n


def test_names_are_case_insensitive():
    assert load_nist("longley").name == "Longley"
    assert load_nist("smls01").name == "SmLs01t"


def test_unknown_name_lists_the_shipped_sets():
    with pytest.raises(ValueError, match=r"unknown NIST StRD set .Nope..*Norris"):
        load_nist("Nope")
    with pytest.raises(TypeError, match="name must be a string"):
        load_nist(3)
