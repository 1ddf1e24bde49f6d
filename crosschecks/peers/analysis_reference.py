"""Reference for Tests/KaonAnalysisTests: the analysis graph of AnalysisGraph.swift computed
with uproot + awkward + vector + boost-histogram, for a "data" and an "mc" sample reading the
same file.

usage: analysis_reference.py FILE TRIGGER WEIGHT(genWeight|met) NORMALISATION

Prints JSON: {sample: {"variations": {variation: {"hist": {name: {"values", "variances"}},
"cutflow": [[raw, weighted], ...], "nOS": [raw, weighted], "sumMll": x}}, "events": [...]}}.
Histograms include flow bins (boost-histogram's view(flow=True)); weighted values include the
sample's normalisation.
"""
import json
import sys

import awkward as ak
import boost_histogram as bh
import numpy as np
import uproot
import vector

vector.register_awkward()

path, trigger, weight_mode, norm_mc = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
t = uproot.open(path)["Events"]
branches = ["HLT_" + trigger, "nMuon", "Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_charge", "Muon_tightId",
            "MET_pt", "nJet", "Jet_pt", "Jet_eta", "event"]
if weight_mode == "genWeight":
    branches.append("genWeight")
a = t.arrays(branches)


def flow(h):
    v = h.view(flow=True)
    return {"values": v.value.ravel().tolist(), "variances": v.variance.ravel().tolist()}


def run(is_mc, jes, sf_mode):
    """One evaluation of the graph: jes in {None, 'up', 'down'}, sf_mode in {'nominal', 'up', 'down'}."""
    norm = norm_mc if is_mc else 1.0
    jet_pt = a["Jet_pt"]
    if jes == "up":
        jet_pt = jet_pt * np.float32(1.03)
    elif jes == "down":
        jet_pt = jet_pt * np.float32(0.97)
    muons = ak.zip({"pt": ak.values_astype(a["Muon_pt"], np.float64), "eta": ak.values_astype(a["Muon_eta"], np.float64),
                    "phi": ak.values_astype(a["Muon_phi"], np.float64), "mass": ak.values_astype(a["Muon_mass"], np.float64),
                    "charge": a["Muon_charge"], "tightId": a["Muon_tightId"], "pt32": a["Muon_pt"]}, with_name="Momentum4D")
    good_mu = muons[(muons.pt32 > 10) & (abs(a["Muon_eta"]) < 2.4)]
    jets = ak.zip({"pt": jet_pt, "eta": a["Jet_eta"]})
    good_jets = jets[(jets.pt > 30) & (abs(jets.eta) < 2.4)]
    n = len(a)
    trig = ak.to_numpy(a["HLT_" + trigger])
    if is_mc:
        g = ak.to_numpy(a["genWeight"]).astype(np.float64) if weight_mode == "genWeight" else 1 + ak.to_numpy(a["MET_pt"]).astype(np.float64) / 100
    else:
        g = np.ones(n)
    ngood = ak.to_numpy(ak.num(good_mu)).astype(np.float64)
    sf = {"nominal": 1 + 0.01 * ngood, "up": 1 + 0.02 * ngood, "down": np.ones(n)}[sf_mode]
    w_all = np.ones(n)
    w_sf = (1.0 * g) * sf
    two_mu = trig & (ak.to_numpy(ak.num(good_mu)) >= 2)
    gm2 = good_mu[two_mu]
    os_local = ak.to_numpy(gm2[:, 0].charge != gm2[:, 1].charge)
    os = np.zeros(n, dtype=bool)
    os[np.nonzero(two_mu)[0][os_local]] = True
    two_jets = trig & (ak.to_numpy(ak.num(good_jets)) >= 2)
    selections = [("all", np.ones(n, dtype=bool), w_all), ("trigger", trig, w_all), ("genWeight", trig, 1.0 * g),
                  ("muonSF", trig, w_sf), ("twoMuons", two_mu, w_sf), ("oppositeSign", os, w_sf), ("twoJets", two_jets, w_sf)]
    cutflow = [[int(m.sum()), float(np.sum(w[m]) * norm)] for _, m, w in selections]
    hist = {}
    om = good_mu[os]
    mll = ak.to_numpy((om[:, 0] + om[:, 1]).mass)
    h = bh.Histogram(bh.axis.Regular(60, 60, 120), storage=bh.storage.Weight())
    h.fill(mll, weight=w_sf[os] * norm)
    hist["mll"] = flow(h)
    h = bh.Histogram(bh.axis.Regular(50, 0, 200), storage=bh.storage.Weight())
    mpt = a["Muon_pt"][trig]
    h.fill(ak.to_numpy(ak.flatten(mpt)).astype(np.float64), weight=np.repeat(w_sf[trig], ak.to_numpy(ak.num(mpt))) * norm)
    hist["muonPt"] = flow(h)
    h = bh.Histogram(bh.axis.Regular(40, 0, 200), storage=bh.storage.Weight())
    h.fill(ak.to_numpy(a["MET_pt"][trig]).astype(np.float64), weight=w_sf[trig] * norm)
    hist["met"] = flow(h)
    h = bh.Histogram(bh.axis.Regular(40, 0, 400), storage=bh.storage.Weight())
    jpt = good_jets.pt[two_jets]
    h.fill(ak.to_numpy(ak.flatten(jpt)).astype(np.float64), weight=np.repeat(w_sf[two_jets], ak.to_numpy(ak.num(jpt))) * norm)
    hist["jetPt"] = flow(h)
    h = bh.Histogram(bh.axis.Regular(20, 0, 400), bh.axis.Regular(10, -2.5, 2.5), storage=bh.storage.Weight())
    lead = good_jets[two_jets][:, 0]
    h.fill(ak.to_numpy(lead.pt).astype(np.float64), ak.to_numpy(lead.eta).astype(np.float64), weight=w_sf[two_jets] * norm)
    hist["leadJet"] = flow(h)
    return {"hist": hist, "cutflow": cutflow, "nOS": [int(os.sum()), float(np.sum(w_sf[os]) * norm)],
            "sumMll": float(np.sum(w_sf[os] * mll) * norm), "events": [int(e) for e in ak.to_numpy(a["event"][os])]}


out = {"data": {"variations": {"nominal": run(False, None, "nominal")}}}
mc = {"nominal": run(True, None, "nominal"), "muonSFUp": run(True, None, "up"), "muonSFDown": run(True, None, "down"),
      "jesUp": run(True, "up", "nominal"), "jesDown": run(True, "down", "nominal")}
out["mc"] = {"variations": mc}
print(json.dumps(out))
