"""The AGC (`kaon agc`) against its reference implementation, the coffea pipeline of the
IRIS-HEP Analysis Grand Challenge, run on the same local files (agc_reference.py).

Inputs: an AGC-like dataset written by `kaon agc generate` (the nine samples, every branch the
analysis reads; 500 events each, so that both sides run in seconds) and the real 200-event
CMS tt̄ NanoAOD file.

Tolerances, and why:
- Histograms: every histogram of the reference's layout (observables of both regions, the 20 ML
  features, every systematic and alternative sample, pseudodata), bin for bin with flow, values
  and variances to 1e-9 relative — the same events in the same bins with the same weights. The
  jet-resolution smearing is random in the reference (numpy, unseeded); both sides draw it from
  the same correctionlib `hashprng` correction (written by `kaon agc run`), so it is
  deterministic and compared like the rest.
- Fit (a second generated dataset of 4000 events per sample: on fewer, Minuit fails to converge):
  from Kaon's histograms (equal to the reference's, above), Kaon's workspace equals the one the
  pipeline's cabinetry cells build to 1e-9 relative, and Kaon's fit of ttbar_norm equals
  cabinetry's to 1e-4 (−2 ln L at the minimum to 1e-5; cabinetry with Minuit's tolerance at
  1e-4, as the default stops short of the minimum on this flat likelihood); its uncertainty is
  checked against the likelihood's profile (see the test).
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import uproot

from conftest import KAON, SHARED, kaon

HERE = Path(__file__).resolve().parent
EVENTS_PER_SAMPLE = 500
FIT_EVENTS_PER_SAMPLE = 4000
REAL_FILE = SHARED / "data" / "root" / "nanoAOD_2015_CMS_Open_Data_ttbar.root"


def reference(*arguments):
    """Runs agc_reference.py (a subcommand and its arguments); returns its JSON output (the last argument)."""
    command = [sys.executable, str(HERE / "agc_reference.py"), *map(str, arguments)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, env={**os.environ, "SHARED": str(SHARED)})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(Path(arguments[-1] if arguments[0] == "fit" else arguments[3]).read_text())


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Kaon's and the reference's outputs on the generated dataset."""
    folder = tmp_path_factory.mktemp("agc")
    kaon("agc", "generate", folder / "data", "--events", EVENTS_PER_SAMPLE)
    kaon("agc", "run", folder / "data" / "samples.yml", "-o", folder / "kaon", "--threads", 2, "--no-fit", "--agc-dir", SHARED / "data" / "agc")
    output = reference("run", folder / "data" / "samples.yml", folder / "kaon" / "jet_pt_resolution.json", folder / "reference.json",
                       "--save", folder / "reference")
    return folder, output


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """Kaon's workspace and fit, and cabinetry's (the pipeline's cells) on Kaon's histograms, on a
    dataset large enough for a well-defined fit (4000 events per sample)."""
    folder = tmp_path_factory.mktemp("agc-fit")
    kaon("agc", "generate", folder / "data", "--events", FIT_EVENTS_PER_SAMPLE)
    run = kaon("agc", "run", folder / "data" / "samples.yml", "-o", folder / "kaon", "--threads", 2, "--agc-dir", SHARED / "data" / "agc")
    output = reference("fit", folder / "kaon" / "histograms.root", folder / "cabinetry", folder / "cabinetry.json")
    return folder, run.stdout, output


def histograms(path):
    with uproot.open(path) as f:
        return {key.split(";")[0]: (f[key].values(flow=True), f[key].variances(flow=True)) for key in f.keys()}


def reference_layout(hist_dict):
    """The reference's histograms by their name in its histograms.root."""
    return {f"{name}_{process}" + ("" if variation == "nominal" else f"_{variation}"): (np.array(h["values"]), np.array(h["variances"]))
            for name, processes in hist_dict.items() for process, variations in processes.items() for variation, h in variations.items()}


def assert_same_histograms(ours, theirs):
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        np.testing.assert_allclose(ours[name][0], theirs[name][0], rtol=1e-9, atol=1e-9, err_msg=name)
        np.testing.assert_allclose(ours[name][1], theirs[name][1], rtol=1e-9, atol=1e-9, err_msg=name)


def test_histograms_equal_the_reference_bin_for_bin(generated):
    folder, output = generated
    ours = histograms(folder / "kaon" / "histograms.root")
    # The reference's own histograms.root (its save_histograms), pseudodata included.
    assert_same_histograms(ours, histograms(folder / "reference" / "histograms.root"))
    assert len(ours) == 124  # 2 regions × (5 processes × nominal, JES, JER, 4 b-tag × 2; W+jets scale × 2; 4 tt̄ samples) + pseudodata
    assert any(v[0].sum() > 0 for k, v in ours.items() if k.endswith("pt_res_up"))


def test_ml_feature_histograms_equal_the_reference(generated):
    folder, output = generated
    ours = histograms(folder / "kaon" / "histograms_ml.root")
    ours = {k: v for k, v in ours.items() if not k.endswith("_pseudodata")}
    assert_same_histograms(ours, reference_layout(output["ml_hist_dict"]))
    assert len(ours) == 20 * 61


def test_workspace_and_fit_equal_cabinetry(fitted):
    folder, printed, theirs = fitted
    ours = json.loads((folder / "kaon" / "workspace.json").read_text())
    expected = theirs["workspace"]
    assert [c["name"] for c in ours["channels"]] == [c["name"] for c in expected["channels"]]
    for mine, cab in zip(ours["channels"], expected["channels"]):
        assert [s["name"] for s in mine["samples"]] == [s["name"] for s in cab["samples"]]
        for s, t in zip(mine["samples"], cab["samples"]):
            np.testing.assert_allclose(s["data"], t["data"], rtol=1e-9)
            assert [(m["name"], m["type"]) for m in s["modifiers"]] == [(m["name"], m["type"]) for m in t["modifiers"]]
            for m, n in zip(s["modifiers"], t["modifiers"]):
                if m["type"] in ("staterror",):
                    np.testing.assert_allclose(m["data"], n["data"], rtol=1e-9)
                elif m["type"] == "normsys":
                    np.testing.assert_allclose([m["data"]["hi"], m["data"]["lo"]], [n["data"]["hi"], n["data"]["lo"]], rtol=1e-9)
                elif m["type"] == "histosys":
                    np.testing.assert_allclose(m["data"]["hi_data"], n["data"]["hi_data"], rtol=1e-9, atol=1e-9)
                    np.testing.assert_allclose(m["data"]["lo_data"], n["data"]["lo_data"], rtol=1e-9, atol=1e-9)
    for o, p in zip(ours["observations"], expected["observations"]):
        np.testing.assert_allclose(o["data"], p["data"], rtol=1e-9)
    assert ours["measurements"][0]["config"] == expected["measurements"][0]["config"]

    fit = json.loads(kaon("fit", folder / "kaon" / "workspace.json", "--json").stdout)
    poi = next(p for p in fit["parameters"] if p["name"] == theirs["poi"])
    assert theirs["poi"] == "ttbar_norm"
    assert abs(poi["value"] - theirs["bestfit"]) < 1e-4, (poi, theirs["bestfit"])
    assert abs(fit["twice_nll"] - theirs["twice_nll"]) < 1e-5, (fit["twice_nll"], theirs["twice_nll"])
    # Minuit's Hesse on this model forces its matrix positive definite and reports a width ten
    # times too small; the likelihood itself (pyhf's profile at ±0.1 around the minimum, where
    # Δ(−2 ln L) ≈ (0.1/σ)²) gives σ, which Kaon's Hessian uncertainty matches to 10 %.
    mean_delta = sum(theirs["profile"].values()) / len(theirs["profile"])
    profile_sigma = 0.1 / mean_delta ** 0.5
    assert abs(poi["uncertainty"] / profile_sigma - 1) < 0.1, (poi["uncertainty"], profile_sigma, theirs["uncertainty"])
    assert "fit of ttbar_norm" in printed


def test_real_cms_file_agrees_with_the_reference(tmp_path):
    """The 200 real events: no event passes the AGC selection (none has one lepton and four
    jets), in Kaon as in the reference; the cut flow up to there equals coffea's counts."""
    samples = tmp_path / "samples.yml"
    samples.write_text("luminosity: 3378\ntree: Events\nsamples:\n"
                       f"  ttbar__nominal: {{files: [\"{REAL_FILE}\"], type: mc, cross-section: 729.84, generated-events: 1334428}}\n")
    run = kaon("agc", "run", samples, "-o", tmp_path / "kaon", "--no-fit", "--agc-dir", SHARED / "data" / "agc")
    output = reference("run", samples, tmp_path / "kaon" / "jet_pt_resolution.json", tmp_path / "reference.json")
    assert histograms(tmp_path / "kaon" / "histograms.root") == {}
    assert reference_layout(output["hist_dict"]) == {}
    counts = dict(re.findall(r"^(\w+)\s+(\d+)\s", (tmp_path / "kaon" / "cutflow.md").read_text(), re.M))
    from coffea.nanoevents import NanoAODSchema, NanoEventsFactory
    import awkward as ak

    NanoAODSchema.warn_missing_crossrefs = False
    events = NanoEventsFactory.from_root({str(REAL_FILE): "Events"}, schemaclass=NanoAODSchema, mode="eager").events()
    e, m, j = events.Electron, events.Muon, events.Jet
    leptons = (ak.sum((e.pt > 30) & (abs(e.eta) < 2.1) & (e.cutBased == 4) & (e.sip3d < 4), axis=1)
               + ak.sum((m.pt > 30) & (abs(m.eta) < 2.1) & m.tightId & (m.sip3d < 4) & (m.pfRelIso04_all < 0.15), axis=1))
    jets = ak.sum((j.pt > 30) & (abs(j.eta) < 2.4) & j.isTightLeptonVeto, axis=1)
    assert int(counts["all"]) == 200
    assert int(counts["exactly_1l"]) == int(ak.sum(leptons == 1))
    assert int(counts["atleast_4j"]) == int(ak.sum((leptons == 1) & (jets >= 4)))
    assert "ttbar_norm" not in run.stdout
