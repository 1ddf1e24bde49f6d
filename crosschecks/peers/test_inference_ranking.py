"""`kaon ranking` (impacts of the nuisance parameters on the POI, cabinetry's convention) and
the pulls/ranking SVGs, against the same computation driven by pyhf (numpy backend): hold one
parameter at θ̂ ± σ, refit the rest with pyhf, take the POI's shift."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from conftest import kaon, kaon_json

pyhf = pytest.importorskip("pyhf")
from inference_peers import SMALL, extract_sbottom, parameter_names, prefit_widths, pyhf_model, tight_fit  # noqa: E402

IMPACT_ATOL = 1e-3


def pyhf_impact(model, data, index, value, nominal_poi):
    """cabinetry's recipe with pyhf: the parameter fixed at `value`, the rest refitted from the inits."""
    init = list(model.config.suggested_init())
    init[index] = value
    fixed = list(model.config.suggested_fixed())
    fixed[index] = True
    return tight_fit(model, data, init, fixed)[model.config.poi_index] - nominal_poi


def check_entries(model, data, entries, which):
    names = parameter_names(model)
    best = tight_fit(model, data)
    poi = best[model.config.poi_index]
    for e in entries:
        i = names.index(e["name"])
        assert e["value"] == pytest.approx(best[i], abs=1e-4), e["name"]
        for key, value in which(e):
            ref = pyhf_impact(model, data, i, value, poi)
            assert e[key] == pytest.approx(ref, abs=IMPACT_ATOL), (e["name"], key)


def post_and_pre(e):
    out = [("postfit_up", e["value"] + e["uncertainty"]), ("postfit_down", e["value"] - e["uncertainty"])]
    if e["prefit_uncertainty"] > 0:
        out += [("prefit_up", e["value"] + e["prefit_uncertainty"]), ("prefit_down", e["value"] - e["prefit_uncertainty"])]
    return out


def test_small_workspace_ranking_matches_pyhf(tmp_path):
    model, data = pyhf_model(SMALL)
    svg = tmp_path / "ranking.svg"
    result = kaon_json("ranking", SMALL, "--json", "--svg", svg)
    names = parameter_names(model)
    widths = prefit_widths(model)
    fixed = model.config.suggested_fixed()
    expected = {n for i, n in enumerate(names) if i != model.config.poi_index and not fixed[i]}
    assert {e["name"] for e in result["parameters"]} == expected
    for e in result["parameters"]:
        assert e["prefit_uncertainty"] == pytest.approx(widths[names.index(e["name"])], rel=1e-12), e["name"]
    impacts = [max(abs(e["postfit_up"]), abs(e["postfit_down"])) for e in result["parameters"]]
    assert impacts == sorted(impacts, reverse=True)
    # Unconstrained parameters have no pre-fit impact.
    assert all(e["prefit_up"] == 0 == e["prefit_down"] for e in result["parameters"] if e["prefit_uncertainty"] == 0)
    check_entries(model, data, result["parameters"], post_and_pre)
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert len([t for t in root.iter() if t.tag.endswith("text") and t.text in expected]) == len(expected)


def test_small_workspace_uncertainties_match_minuit_hesse():
    """σ̂ (the Hessian of −ln L by differences of the AD gradient) against iminuit's HESSE on
    pyhf's −2 ln L at pyhf's best fit, without parameter limits: Minuit's transform of
    bounded parameters changes errors by O((σ/range)²), which is not what is compared here."""
    from iminuit import Minuit

    model, data = pyhf_model(SMALL)
    names = parameter_names(model)
    best = tight_fit(model, data)
    m = Minuit(lambda p: float(-2 * model.logpdf(p, data)[0]), best, name=names)
    m.errordef = Minuit.LEAST_SQUARES
    m.strategy = 2
    for i, fixed in enumerate(model.config.suggested_fixed()):
        m.fixed[i] = bool(fixed)
    m.hesse()
    errors = dict(zip(names, m.errors))
    ranking = kaon_json("ranking", SMALL, "--json")
    for e in ranking["parameters"]:
        assert e["uncertainty"] == pytest.approx(errors[e["name"]], rel=1e-3), e["name"]


def test_pulls_svg(tmp_path):
    model, _ = pyhf_model(SMALL)
    svg = tmp_path / "pulls.svg"
    fit = kaon_json("fit", SMALL, "--json", "--pulls-svg", svg)
    root = ET.parse(svg).getroot()
    widths = prefit_widths(model)
    constrained = [n for n, w in zip(parameter_names(model), widths) if w > 0]
    labels = [t.text for t in root.iter() if t.tag.endswith("text")]
    assert all(n in labels for n in constrained)
    assert len([c for c in root.iter() if c.tag.endswith("circle")]) == len(constrained)
    assert fit["converged"]


def test_sbottom_ranking_matches_pyhf(tmp_path):
    ws, p = extract_sbottom(tmp_path, "RegionA", "sbottom_1300_205_60")
    model, data = pyhf_model(ws, p)
    result = kaon_json("ranking", ws, "--patch", p, "--json")
    entries = result["parameters"]
    assert len(entries) == model.config.npars - 1 - int(sum(model.config.suggested_fixed()))
    # pyhf refits for the four highest-ranked parameters (all four impacts) and two further
    # down (post-fit impacts): 20 fits of a 64-parameter model.
    check_entries(model, data, entries[:4], post_and_pre)
    check_entries(model, data, [entries[10], entries[30]], lambda e: post_and_pre(e)[:2])
    text = kaon("ranking", ws, "--patch", p, "--top", 5).stdout
    assert entries[0]["name"] in text and entries[5]["name"] not in text
