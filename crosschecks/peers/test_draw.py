"""`kaon draw` against awkward + boost-histogram: the same expression, cut and weight
computed with awkward in float64 on the real NanoAOD files, filled into the same binning;
bin contents and variances must agree exactly."""
import json

import awkward as ak
import boost_histogram as bh
import numpy as np
import pytest
import uproot

from conftest import SHARED, kaon

NANO = SHARED / "data" / "root" / "nanoAOD_2015_CMS_Open_Data_ttbar.root"
ADL = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"


def load(path, names):
    events = uproot.open(path)["Events"].arrays(names)
    return {name: ak.values_astype(events[name], np.float64) for name in names}


def none_as_nan(array):
    return ak.to_numpy(ak.fill_none(array, np.nan))


# (file, expression, cut, weight, bins, reference(arrays) -> (values, weights))
CASES = [
    (NANO, "Muon_pt", "abs(Muon_eta) < 2.4", None, "20,0,100",
     lambda a: (a["Muon_pt"][abs(a["Muon_eta"]) < 2.4], None)),
    (NANO, "sum(Jet_pt)", "nJet >= 2", "genWeight", "30,0,1500",
     lambda a: (ak.sum(a["Jet_pt"], axis=1)[a["nJet"] >= 2], a["genWeight"][a["nJet"] >= 2])),
    (NANO, "sqrt(Muon_pt ** 2 + 1) * Muon_charge", "Muon_charge > 0", None, "25,-100,150",
     lambda a: (np.sqrt(a["Muon_pt"] ** 2 + 1)[a["Muon_charge"] > 0] * a["Muon_charge"][a["Muon_charge"] > 0], None)),
    (NANO, "Jet_pt[0] / Jet_pt[1]", None, None, "40,0,8",
     lambda a: ((ak.firsts(a["Jet_pt"][:, 0:1]) / ak.firsts(a["Jet_pt"][:, 1:2])), None)),
    (NANO, "max(Jet_eta) - min(Jet_eta)", None, None, "20,0,10",
     lambda a: (ak.max(a["Jet_eta"], axis=1) - ak.min(a["Jet_eta"], axis=1), None)),
    (ADL, "MET_pt", "any(Muon_pt > 25) && nJet > 1", None, "20,0,200",
     lambda a: (a["MET_pt"][ak.any(a["Muon_pt"] > 25, axis=1) & (a["nJet"] > 1)], None)),
    (ADL, "sum(Jet_pt > 30)", None, None, "10,0,10",
     lambda a: (ak.sum(a["Jet_pt"] > 30, axis=1), None)),
    (ADL, "Jet_pt", "Jet_pt > 40 && abs(Jet_eta) < 1", "1 + 0.5 * nJet", "15,0,300",
     lambda a: (a["Jet_pt"][(a["Jet_pt"] > 40) & (abs(a["Jet_eta"]) < 1)],
                ak.broadcast_arrays(1 + 0.5 * a["nJet"], a["Jet_pt"])[0][(a["Jet_pt"] > 40) & (abs(a["Jet_eta"]) < 1)])),
]

BRANCHES = {
    NANO: ["Muon_pt", "Muon_eta", "Muon_charge", "Jet_pt", "Jet_eta", "nJet", "genWeight"],
    ADL: ["MET_pt", "Muon_pt", "nJet", "Jet_pt", "Jet_eta"],
}


@pytest.mark.parametrize("path,expression,cut,weight,bins,reference", CASES,
                         ids=[f"{c[0].stem}:{c[1]}" for c in CASES])
def test_draw_matches_awkward_and_boost_histogram(tmp_path, path, expression, cut, weight, bins, reference):
    out = tmp_path / "h.json"
    args = ["draw", path, expression, "--bins", bins, "-o", out, "--threads", "2"]
    if cut:
        args += ["--where", cut]
    if weight:
        args += ["--weight", weight]
    kaon(*args)
    produced = json.loads(out.read_text())

    values, weights = reference(load(path, BRANCHES[path]))
    values = none_as_nan(ak.flatten(values, axis=None))
    n, lo, hi = bins.split(",")
    expected = bh.Histogram(bh.axis.Regular(int(n), float(lo), float(hi)), storage=bh.storage.Weight())
    finite = ~np.isnan(values)  # none values are not filled
    if weights is None:
        expected.fill(values[finite])
    else:
        expected.fill(values[finite], weight=none_as_nan(ak.flatten(weights, axis=None))[finite])
    view = expected.view(flow=True)
    assert produced["storage"]["type"] == "weighted"
    assert np.array_equal(np.asarray(produced["storage"]["values"]), view.value)
    assert np.array_equal(np.asarray(produced["storage"]["variances"]), view.variance)


def test_bad_expression_points_at_the_token():
    result = kaon("draw", NANO, "Muon_pt * * 2", check=False)
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    pointer = next(i for i, line in enumerate(lines) if line.strip() == "^")
    assert lines[pointer - 1].strip() == "Muon_pt * * 2"
    assert lines[pointer].index("^") - lines[pointer - 1].index("M") == 10


def test_unknown_branch_is_named():
    result = kaon("draw", NANO, "Jet_ptt", check=False)
    assert result.returncode != 0 and "no branch named Jet_ptt" in result.stderr


def test_root_output_is_read_by_root_and_uproot(tmp_path):
    """-o x.root writes a TH1D that ROOT and uproot read with the JSON output's contents;
    ROOT's mean and standard deviation come out exact from the stored fill statistics."""
    import subprocess
    import sys
    args = [NANO, "Jet_pt", "--where", "abs(Jet_eta) < 2", "--weight", "genWeight", "--bins", "20,0,200"]
    kaon("draw", *args, "-o", tmp_path / "h.root")
    kaon("draw", *args, "-o", tmp_path / "h.json")
    produced = json.loads((tmp_path / "h.json").read_text())
    h = uproot.open(tmp_path / "h.root")["h"]
    assert np.array_equal(h.values(flow=True), produced["storage"]["values"])
    assert np.array_equal(h.variances(flow=True), produced["storage"]["variances"])

    a = load(NANO, BRANCHES[NANO])
    selected = abs(a["Jet_eta"]) < 2
    x = ak.to_numpy(ak.flatten(a["Jet_pt"][selected]))
    w = ak.to_numpy(ak.flatten(ak.broadcast_arrays(a["genWeight"], a["Jet_pt"])[0][selected]))
    inside = (x >= 0) & (x < 200)
    mean = np.sum(w[inside] * x[inside]) / np.sum(w[inside])
    script = ("import ROOT, sys; f = ROOT.TFile.Open(sys.argv[1]); h = f.Get('h'); "
              "print(repr(h.GetMean()), int(h.GetEntries()), h.GetNbinsX())")
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", script, str(tmp_path / "h.root")],
                         capture_output=True, text=True, check=True)
    # ROOT reports problems as "Error in <…>" / "Warning in <…>".
    assert "Error in <" not in out.stderr and "Warning in <" not in out.stderr, out.stderr
    root_mean, entries, nbins = out.stdout.split()
    assert float(root_mean) == pytest.approx(mean, rel=1e-12)
    assert int(entries) == len(x) and int(nbins) == 20
