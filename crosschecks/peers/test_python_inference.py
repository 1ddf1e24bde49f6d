"""Inference from Python (`kaon.Workspace`, `kaon.fit`, `kaon.cls`, `kaon.limit`; issue 15)
against pyhf (numpy backend; scipy with tolerance 1e-12 where its default tolerance stops
short of the minimum, as inference_peers.tight_fit does) on the small fixture workspace and on the
published ATLAS sbottom likelihoods (ins1748602). Results are plain Python numbers and NumPy
arrays. Tolerances: best-fit values 1e-4 absolute, −2 ln L 1e-8 relative, CLs 1e-4 absolute
(1e-5 on the small workspace), limits 1e-4 relative (1e-3 on sbottom, pyhf's own rtol)."""
import json

import numpy as np
import pytest

import kaon

pyhf = pytest.importorskip("pyhf")
from inference_peers import SMALL, extract_sbottom, parameter_names, pyhf_model, tight_fit  # noqa: E402

REGRESSION_OBS = 0.24443627759085326  # pyhf tests/test_regression.py, RegionA sbottom_1300_205_60
REGRESSION_EXP = [0.0902, 0.1938, 0.3843, 0.6558, 0.8910]


def tight_hypotest(*arguments, **options):
    """pyhf.infer.hypotest with scipy at tolerance 1e-12 (its default stops ~1e-5 short in CLs)."""
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
    try:
        return pyhf.infer.hypotest(*arguments, **options)
    finally:
        pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer())


def in_kaon_order(values, model, ws):
    """pyhf's per-parameter values (par_order) reordered as Kaon orders its parameters
    (`ws.parameters`, by name; the CLI tests match parameters by name too)."""
    names = parameter_names(model)
    return np.array([values[names.index(name)] for name in ws.parameters])


@pytest.fixture(scope="module")
def sbottom(tmp_path_factory):
    """(kaon.Workspace, pyhf model, pyhf data) of RegionA with patch sbottom_1300_205_60."""
    ws, patch = extract_sbottom(tmp_path_factory.mktemp("sbottom"), "RegionA", "sbottom_1300_205_60")
    model, data = pyhf_model(ws, patch)
    return kaon.Workspace(json.loads(ws.read_text()), patches=[patch]), model, data


def test_workspace_describes_the_model_as_pyhf_does():
    model, data = pyhf_model(SMALL)
    ws = kaon.Workspace(SMALL)
    assert sorted(ws.parameters) == sorted(parameter_names(model))
    assert ws.poi == model.config.poi_name
    assert ws.parameters[ws.poi_index] == model.config.poi_name
    np.testing.assert_array_equal(ws.inits, in_kaon_order(model.config.suggested_init(), model, ws))
    np.testing.assert_array_equal(ws.bounds, in_kaon_order(model.config.suggested_bounds(), model, ws))
    np.testing.assert_array_equal(ws.fixed, in_kaon_order(model.config.suggested_fixed(), model, ws))
    np.testing.assert_array_equal(ws.observed, data[:model.config.nmaindata])
    assert ws.channels == {name: model.config.channel_nbins[name] for name in model.config.channels}
    # The same workspace as a dict and as JSON text.
    spec = json.loads(SMALL.read_text())
    assert kaon.Workspace(spec).parameters == kaon.Workspace(json.dumps(spec)).parameters == ws.parameters


def test_fit_matches_pyhf_on_the_small_workspace():
    model, data = pyhf_model(SMALL)
    best = tight_fit(model, data)
    ws = kaon.Workspace(SMALL)
    result = kaon.fit(ws)
    assert isinstance(result.twice_nll, float) and isinstance(result.bestfit, np.ndarray)
    assert result.converged
    np.testing.assert_allclose(result.bestfit, in_kaon_order(best, model, ws), atol=1e-4)
    assert result.twice_nll == pytest.approx(float(-2 * model.logpdf(best, data)[0]), rel=1e-8)
    # Uncertainties from the Hessian: pyhf with minuit (its default tolerance) for the reference.
    pyhf.set_backend("numpy", "minuit")
    try:
        reference = pyhf.infer.mle.fit(data, model, return_uncertainties=True)
    finally:
        pyhf.set_backend("numpy")
    free = ~ws.fixed
    np.testing.assert_allclose(result.uncertainties[free], in_kaon_order(reference[:, 1], model, ws)[free], rtol=2e-2)
    assert result.correlations.shape == (len(best), len(best))
    np.testing.assert_allclose(np.diag(result.correlations)[free], 1.0, atol=1e-12)


def test_fit_with_the_poi_held_and_parameters_fixed():
    model, data = pyhf_model(SMALL)
    names = parameter_names(model)
    init, fixed = list(model.config.suggested_init()), list(model.config.suggested_fixed())
    for name, value in (("lumi", 1.05), ("mu", 2.0)):
        init[names.index(name)], fixed[names.index(name)] = value, True
    best = tight_fit(model, data, init, fixed)
    ws = kaon.Workspace(SMALL, fix={"lumi": 1.05})
    result = kaon.fit(ws, poi=2.0, uncertainties=False)
    np.testing.assert_allclose(result.bestfit, in_kaon_order(best, model, ws), atol=1e-4)
    assert result["lumi"] == (1.05, None) and result["mu"][0] == 2.0
    assert len(result.uncertainties) == 0


def test_cls_matches_pyhf_on_the_small_workspace():
    model, data = pyhf_model(SMALL)
    ws = kaon.Workspace(SMALL)
    for mu in (0.5, 1.0, 2.5):
        obs, exp = tight_hypotest(mu, data, model, test_stat="qtilde", return_expected_set=True)
        result = kaon.cls(ws, mu)
        assert result.cls_obs == pytest.approx(float(obs), abs=1e-5), mu
        np.testing.assert_allclose(result.cls_exp, [float(e) for e in exp], atol=1e-5, err_msg=str(mu))
    p0, p0_exp = tight_hypotest(0.0, data, model, test_stat="q0", return_expected_set=True)
    discovery = kaon.cls(ws, test_stat="q0")
    assert discovery.cls_obs == pytest.approx(float(p0), abs=1e-5)
    np.testing.assert_allclose(discovery.cls_exp, [float(e) for e in p0_exp], atol=1e-5)


def test_limit_matches_pyhf_on_the_small_workspace():
    model, data = pyhf_model(SMALL)
    lo, hi = model.config.suggested_bounds()[model.config.poi_index]
    obs, exp = pyhf.infer.intervals.upper_limits.toms748_scan(data, model, lo, hi, rtol=1e-8)
    result = kaon.limit(kaon.Workspace(SMALL))
    assert result.observed == pytest.approx(float(obs), rel=1e-4)
    np.testing.assert_allclose(result.expected, [float(e) for e in exp], rtol=1e-4)
    assert result.tested_cls_exp.shape == (len(result.tested_poi), 5)
    observed = ~np.isnan(result.tested_cls_obs)
    mu = float(result.tested_poi[observed][0])
    ref_obs = tight_hypotest(mu, data, model, test_stat="qtilde")
    assert result.tested_cls_obs[observed][0] == pytest.approx(float(ref_obs), abs=1e-5)


def test_sbottom_cls_matches_the_regression_values_and_pyhf(sbottom):
    ws, model, data = sbottom
    result = kaon.cls(ws, 1.0)
    assert result.cls_obs == pytest.approx(REGRESSION_OBS, abs=1e-5)
    np.testing.assert_allclose(result.cls_exp, REGRESSION_EXP, atol=1e-4)
    obs, exp = pyhf.infer.hypotest(1.0, data, model, test_stat="qtilde", return_expected_set=True)
    assert result.cls_obs == pytest.approx(float(obs), abs=1e-4)
    np.testing.assert_allclose(result.cls_exp, [float(e) for e in exp], atol=1e-4)


def test_sbottom_fit_and_limit_match_pyhf(sbottom):
    ws, model, data = sbottom
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
    try:
        best, twice_nll = pyhf.infer.mle.fit(data, model, return_fitted_val=True)
    finally:
        pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer())
    result = kaon.fit(ws, uncertainties=False)
    assert result.twice_nll == pytest.approx(float(twice_nll), rel=1e-8)
    np.testing.assert_allclose(result.bestfit, in_kaon_order(best, model, ws), atol=1e-4)
    obs, exp = pyhf.infer.intervals.upper_limits.upper_limit(data, model)
    limit = kaon.limit(ws)
    assert limit.observed == pytest.approx(float(obs), rel=1e-3)
    np.testing.assert_allclose(limit.expected, [float(e) for e in exp], rtol=1e-3)


def test_errors_are_python_exceptions(tmp_path):
    with pytest.raises(kaon.UsageError, match="nosuch"):
        kaon.Workspace(SMALL, fix={"nosuch": 1})
    with pytest.raises(kaon.UsageError, match="outside the bounds"):
        kaon.cls(kaon.Workspace(SMALL), 1e9)
    with pytest.raises(kaon.UsageError, match="qq"):
        kaon.cls(kaon.Workspace(SMALL), 1.0, test_stat="qq")
    background_only, _ = extract_sbottom(tmp_path, "RegionA", "sbottom_1300_205_60")
    with pytest.raises(kaon.KeyInFileError, match="mu_SIG"):
        kaon.Workspace(background_only)
    with pytest.raises(kaon.KaonError):
        kaon.Workspace({"channels": "not a list"})
