"""Reads an analysis' results.root with uproot AND PyROOT and results.json with hist, and
prints every histogram's contents as each reader sees them (for Tests/KaonAnalysisTests).

usage: analysis_outputs.py RESULTS.root RESULTS.json

Prints JSON: {"uproot": {path: {"values", "variances", "entries"}}, "pyroot": {…}, "hist": {…}}
with flow bins in ROOT's order for the ROOT readers (x fastest) and hist's view(flow=True)
order (row-major) for hist; paths are "sample/name" (nominal) or "sample/name__variation".
"""
import json
import sys

import hist
import numpy as np
import uproot
import uhi.io.json

root_path, json_path = sys.argv[1], sys.argv[2]
out = {"uproot": {}, "pyroot": {}, "hist": {}}

f = uproot.open(root_path)
for key, cls in f.classnames().items():
    if not cls.startswith("TH"):
        continue
    h = f[key]
    path = key.split(";")[0]
    out["uproot"][path] = {"values": np.asarray(h.values(flow=True)).T.ravel().tolist(),
                           "variances": np.asarray(h.variances(flow=True)).T.ravel().tolist(),
                           "entries": float(h.member("fEntries"))}

import ROOT  # noqa: E402

rf = ROOT.TFile.Open(root_path)
for sample_key in rf.GetListOfKeys():
    directory = sample_key.ReadObj()
    for key in directory.GetListOfKeys():
        h = key.ReadObj()
        n = (h.GetNbinsX() + 2) * (h.GetNbinsY() + 2 if h.GetDimension() > 1 else 1)
        out["pyroot"][sample_key.GetName() + "/" + key.GetName()] = {
            "values": [h.GetBinContent(i) for i in range(n)],
            "variances": [h.GetSumw2().At(i) for i in range(n)],
            "entries": h.GetEntries()}

# The documented loader: JSON with uhi's object hook, then the Hist constructor per leaf.
with open(json_path) as stream:
    data = json.load(stream, object_hook=uhi.io.json.object_hook)
for sample, names in data.items():
    for name, variations in names.items():
        for variation, obj in variations.items():
            h = hist.Hist(obj)
            v = h.view(flow=True)
            path = sample + "/" + (name if variation == "nominal" else name + "__" + variation)
            out["hist"][path] = {"values": v.value.ravel().tolist(), "variances": v.variance.ravel().tolist()}
print(json.dumps(out))
