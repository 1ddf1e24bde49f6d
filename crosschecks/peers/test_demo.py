"""`kaon demo`, `kaon run` and `kaon new` end to end.

The toy dataset Kaon writes is read back with uproot, the demo's dimuon selection is
recomputed with awkward + vector + numpy, and every histogram (values, variances, flow
bins), systematic variation and cut-flow count Kaon wrote must agree. `kaon new` must
produce a package whose manifest SwiftPM loads and whose analysis type-checks against
the Kaon modules just built.
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import awkward as ak
import numpy as np
import pytest
import uproot
import vector

from conftest import KAON, REPO, kaon

vector.register_awkward()

SAMPLES = {"DYJetsToMuMu": 5000.0, "TTbar": 800.0, "QCD": 4200.0, "SingleMuon": None}
LUMINOSITY = 10.0 * 0.05  # the toy's luminosity scales with --scale


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = kaon("demo", "--output", out, "--scale", "0.05", "--threads", "2")
    assert "cut flow of DYJetsToMuMu" in result.stdout
    return out


def selection(sample, folder):
    """The demo analysis redone with awkward: per-event weights, masses and jet counts."""
    files = sorted(str(p) for p in Path(folder, "data").glob(f"{sample}_*.root"))
    events = uproot.concatenate([f + ":Events" for f in files], library="ak")
    xsec = SAMPLES[sample]
    if xsec is None:
        weight = np.ones(len(events))
    else:
        sumw = sum(uproot.open(f)["Runs"]["genEventSumw"].array(library="np").sum() for f in files)
        weight = ak.to_numpy(events.genWeight).astype(np.float64) * (LUMINOSITY * xsec / sumw)
    good = ((events.Muon_pt > 20) & (abs(events.Muon_eta) < 2.4) & events.Muon_tightId
            & (events.Muon_pfRelIso04_all < 0.15))
    mu = ak.zip({"pt": events.Muon_pt, "eta": events.Muon_eta, "phi": events.Muon_phi, "mass": events.Muon_mass,
                 "charge": events.Muon_charge}, with_name="Momentum4D")[good]
    trigger = ak.to_numpy(events.HLT_IsoMu24)
    two = trigger & ak.to_numpy(ak.num(mu) == 2)
    padded = ak.pad_none(mu, 2)
    opposite = two & ak.to_numpy(ak.fill_none(padded[:, 0].charge != padded[:, 1].charge, False))
    mll = ak.to_numpy(ak.fill_none((padded[:, 0] + padded[:, 1]).mass, 0.0))
    z = opposite & (mll >= 76) & (mll < 106)

    def jets(scale):
        pt = events.Jet_pt * np.float32(scale) if scale != 1 else events.Jet_pt
        keep = (pt > 30) & (abs(events.Jet_eta) < 2.4)
        return ak.to_numpy(ak.sum(keep, axis=1)).astype(np.float64)

    return dict(weight=weight, trigger=trigger, two=two, opposite=opposite, z=z, mll=mll,
                leading=ak.to_numpy(ak.fill_none(padded[:, 0].pt, 0.0)).astype(np.float64),
                nJets={v: jets(s) for v, s in [("nominal", 1), ("jesUp", 1.03), ("jesDown", 0.97)]})


def histogram(values, weights, bins, lo, hi):
    """Values and variances with under- and overflow, boost-histogram style."""
    edges = np.linspace(lo, hi, bins + 1)
    index = np.searchsorted(edges, values, side="right")  # 0 = underflow, bins + 1 = overflow
    index[values == hi] = bins + 1
    sumw = np.bincount(index, weights=weights, minlength=bins + 2)
    sumw2 = np.bincount(index, weights=weights * weights, minlength=bins + 2)
    return sumw, sumw2


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_demo_histograms_equal_awkward(demo, sample):
    s = selection(sample, demo)
    f = uproot.open(demo / "results.root")
    cases = [("mll", s["mll"], s["opposite"], 70, 50, 190), ("leadingMuonPt", s["leading"], s["opposite"], 40, 20, 220)]
    for name, x, mask, bins, lo, hi in cases:
        expected, expected2 = histogram(x[mask], s["weight"][mask], bins, lo, hi)
        h = f[f"{sample}/{name}"]
        np.testing.assert_allclose(h.values(flow=True), expected, rtol=1e-12, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(h.variances(flow=True), expected2, rtol=1e-12, atol=1e-12, err_msg=name)
        if sample != "SingleMuon":  # weight variation: ×1.02 / ×0.98 on every weight
            for variation, factor in [("muonSFUp", 1.02), ("muonSFDown", 0.98)]:
                varied = f[f"{sample}/{name}__{variation}"]
                np.testing.assert_allclose(varied.values(flow=True), expected * factor, rtol=1e-12, atol=1e-12)
        else:
            assert f"{name}__muonSFUp" not in f[sample], "data gets no variations"
    for variation, counts in s["nJets"].items():
        if sample == "SingleMuon" and variation != "nominal":
            continue
        expected, _ = histogram(counts[s["z"]], s["weight"][s["z"]], 6, 0, 6)
        key = f"{sample}/nJets" + ("" if variation == "nominal" else f"__{variation}")
        np.testing.assert_allclose(f[key].values(flow=True), expected, rtol=1e-12, atol=1e-12, err_msg=key)
    if sample == "DYJetsToMuMu":  # the JES variation really moves jets across the threshold
        assert not np.array_equal(s["nJets"]["jesUp"][s["z"]], s["nJets"]["nominal"][s["z"]])


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_demo_cut_flow_equals_awkward(demo, sample):
    s = selection(sample, demo)
    flows = json.loads((demo / "cutflow.json").read_text())
    rows = {row["name"]: row for row in flows[sample]["rows"]}
    assert rows["all"]["raw"] == len(s["weight"])
    assert rows["trigger"]["raw"] == int(s["trigger"].sum())
    assert rows["twoMuons"]["raw"] == int(s["two"].sum())
    assert rows["oppositeSign"]["raw"] == int(s["opposite"].sum())
    assert rows["zWindow"]["raw"] == int(s["z"].sum())
    assert rows["zWindow"]["weighted"] == pytest.approx(float(s["weight"][s["z"]].sum()), rel=1e-12, abs=1e-12)


def test_demo_plots_and_uhi(demo):
    import xml.etree.ElementTree as ET
    import hist
    import uhi.io.json

    for name in ["mll", "leadingMuonPt", "nJets", "jetHT"]:
        root = ET.parse(demo / f"{name}.svg").getroot()
        assert root.tag.endswith("svg")
    data = json.loads((demo / "results.json").read_text(), object_hook=uhi.io.json.object_hook)
    h = hist.Hist(data["TTbar"]["mll"]["jesUp"])
    f = uproot.open(demo / "results.root")
    np.testing.assert_array_equal(h.values(flow=True), f["TTbar/mll__jesUp"].values(flow=True))
    np.testing.assert_array_equal(h.variances(flow=True), f["TTbar/mll__jesUp"].variances(flow=True))


def test_kaon_run_writes_what_demo_wrote(demo, tmp_path):
    kaon("run", demo / "data" / "samples.yml", "--analysis", "dimuon", "-o", tmp_path, "--threads", "1")
    mine, theirs = uproot.open(tmp_path / "results.root"), uproot.open(demo / "results.root")
    assert sorted(mine.keys()) == sorted(theirs.keys())
    for key, classname in theirs.classnames().items():
        if classname.startswith("TH1"):
            np.testing.assert_array_equal(mine[key].values(flow=True), theirs[key].values(flow=True), err_msg=key)
    bad = kaon("run", demo / "data" / "samples.yml", "--analysis", "nope", check=False)
    assert bad.returncode != 0 and "available: dimuon" in bad.stderr


def test_kaon_new_scaffolds_a_package_that_type_checks(tmp_path):
    kaon("new", "ZPeak", "--output", tmp_path, "--kaon", REPO)
    package = tmp_path / "ZPeak"
    for path in ["Package.swift", "Sources/ZPeak/main.swift", "README.md", ".gitignore"]:
        assert (package / path).is_file(), path
    assert kaon("new", "ZPeak", "--output", tmp_path, "--kaon", REPO, check=False).returncode != 0  # exists
    assert kaon("new", "9lives", "--output", tmp_path, check=False).returncode != 0  # not a module name
    swift = shutil.which("swift")
    if swift is None:
        pytest.skip("no swift toolchain on PATH")
    manifest = subprocess.run([swift, "package", "dump-package"], cwd=package, capture_output=True, text=True, timeout=300)
    assert manifest.returncode == 0, manifest.stderr
    assert json.loads(manifest.stdout)["name"] == "ZPeak"
    # The analysis compiles against the modules of the kaon binary under test.
    # Kaon's C shim targets (CKaon*) are found through their module maps: written by hand for
    # the system-library shims, generated by SwiftPM (beside the binary) for those with sources.
    build = Path(KAON).resolve().parent
    modules = build / "Modules"
    maps = sorted(Path(REPO).glob("Sources/C*/module.modulemap")) + sorted(build.glob("C*.build/module.modulemap"))
    module_maps = [a for m in maps for a in ("-Xcc", f"-fmodule-map-file={m}")]
    check = subprocess.run(
        [swift + "c", "-typecheck", "-swift-version", "6", "-I", str(modules), *module_maps,
         str(package / "Sources/ZPeak/main.swift")], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stderr


def test_cabinetry_builds_a_workspace_from_results_root_and_kaon_fits_it_like_pyhf(demo, tmp_path):
    """results.root follows cabinetry's histogram-input convention: a directory per sample,
    `NAME` nominal and `NAME__VARIATION` systematics. cabinetry collects the templates,
    builds the pyhf workspace and fits it; `kaon fit` of that workspace must agree."""
    import cabinetry
    import pyhf

    config = {
        "General": {"Measurement": "zpeak", "POI": "mu", "HistogramFolder": str(tmp_path / "histograms"),
                    "InputPath": str(demo / "results.root") + ":{SamplePath}/{RegionPath}{VariationPath}"},
        "Regions": [{"Name": "zpeak", "RegionPath": "mllZ"}],
        "Samples": [{"Name": "Data", "SamplePath": "SingleMuon", "Data": True},
                    {"Name": "DY", "SamplePath": "DYJetsToMuMu"},
                    {"Name": "TTbar", "SamplePath": "TTbar"}],
        "NormFactors": [{"Name": "mu", "Samples": "DY", "Nominal": 1, "Bounds": [0, 5]}],
        "Systematics": [
            {"Name": "muonSF", "Type": "NormPlusShape", "Samples": ["DY", "TTbar"],
             "Up": {"VariationPath": "__muonSFUp"}, "Down": {"VariationPath": "__muonSFDown"}},
        ],
    }
    cabinetry.configuration.validate(config)
    cabinetry.templates.collect(config, method="uproot")
    spec = cabinetry.workspace.build(config)
    f = uproot.open(demo / "results.root")
    samples = {s["name"]: s for s in spec["channels"][0]["samples"]}
    np.testing.assert_array_equal(samples["DY"]["data"], f["DYJetsToMuMu/mllZ"].values())
    np.testing.assert_array_equal(spec["observations"][0]["data"], f["SingleMuon/mllZ"].values())

    workspace = pyhf.Workspace(spec)
    model = workspace.model()
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer())
    bestfit = pyhf.infer.mle.fit(workspace.data(model), model)
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(spec))
    fit = json.loads(kaon("fit", path, "--json").stdout)
    values = {p["name"]: p["value"] for p in fit["parameters"]}
    mu = bestfit[model.config.poi_index]
    assert values["mu"] == pytest.approx(float(mu), abs=1e-4)
    assert abs(mu - 1) < 0.2, "the toy data is drawn from the simulated mixture: μ ≈ 1"


def test_kaon_workspace_from_the_demo_equals_cabinetrys_and_fits_like_pyhf(demo, tmp_path):
    """The demo's workspace.yml through `kaon workspace`: the same templates cabinetry
    collects from results.root, and `kaon fit` of it agrees with pyhf's fit."""
    import pyhf

    path = tmp_path / "ws.json"
    kaon("workspace", demo / "workspace.yml", "--histograms", demo / "results.root", "-o", path)
    spec = json.loads(path.read_text())
    f = uproot.open(demo / "results.root")
    samples = {s["name"]: s for s in spec["channels"][0]["samples"]}
    np.testing.assert_array_equal(samples["DY"]["data"], f["DYJetsToMuMu/mllZ"].values())
    np.testing.assert_array_equal(samples["TTbar"]["data"], f["TTbar/mllZ"].values())
    np.testing.assert_array_equal(spec["observations"][0]["data"], f["SingleMuon/mllZ"].values())
    workspace = pyhf.Workspace(spec)
    model = workspace.model()
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer())
    mu = float(pyhf.infer.mle.fit(workspace.data(model), model)[model.config.poi_index])
    fit = json.loads(kaon("fit", path, "--json").stdout)
    assert {p["name"]: p["value"] for p in fit["parameters"]}["mu"] == pytest.approx(mu, abs=1e-4)
    assert abs(mu - 1) < 0.2
