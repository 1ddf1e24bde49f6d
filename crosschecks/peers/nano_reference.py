#!/usr/bin/env python3
"""Recompute Kaon's object-view (KaonNano) fixtures with uproot + awkward + vector, and compare.

Usage: nano_reference.py DIR

DIR holds one JSON file per input ROOT file, written by the Swift test `PeerTests` in
Tests/KaonNanoTests: per-event quantities computed through `event.muons`, `muon.p4`,
`electron.matchedJet`, `particle.mother`/`.children`, … Every one is recomputed here from the
same ROOT file, columnar, with awkward 2 (counts, combinations, cartesian products, jagged
indexing of cross-references) and scikit-hep `vector` (masses and deltaR, in float64).

Exits 0 when everything agrees, 1 with a per-quantity diff (first mismatches with their
event index, Kaon's and the peer's values), 2 on a usage or setup error.
"""
import json
import math
import sys
from pathlib import Path

import awkward as ak
import numpy as np
import uproot
import vector

vector.register_awkward()


def num(x):
    """JSON leaf -> Python value ("nan"/"inf" strings are the non-finite floats)."""
    return float(x) if isinstance(x, str) else x


def exact(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = num(a), num(b)
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def f32(a, b):
    if a is None or b is None:
        return a is None and b is None
    return np.float32(num(a)) == np.float32(num(b)) or (math.isnan(num(a)) and math.isnan(num(b)))


def close(rel=1e-9, abs_=1e-9):
    def eq(a, b):
        if a is None or b is None:
            return a is None and b is None
        a, b = num(a), num(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return abs(a - b) <= abs_ + rel * max(abs(a), abs(b))
    return eq


class Report:
    def __init__(self):
        self.failures = []
        self.checked = 0

    def compare(self, label, kaon, peer, eq):
        """Compares flat or one-level-nested lists element by element."""
        self.checked += 1
        if len(kaon) != len(peer):
            self.failures.append(f"{label}: {len(kaon)} events from Kaon, {len(peer)} from the peer")
            return
        bad = []
        for i, (k, p) in enumerate(zip(kaon, peer)):
            if isinstance(k, list) or isinstance(p, list):
                if not (isinstance(k, list) and isinstance(p, list)) or len(k) != len(p) or not all(eq(x, y) for x, y in zip(k, p)):
                    bad.append((i, k, p))
            elif not eq(k, p):
                bad.append((i, k, p))
        if bad:
            lines = [f"{label}: {len(bad)} events differ"]
            for i, k, p in bad[:5]:
                lines.append(f"    event {i}: kaon={k!r}\n              peer={p!r}")
            self.failures.append("\n".join(lines))


def f64(array):
    return ak.values_astype(array, np.float64)


def p4(tree, prefix, extra=()):
    fields = {"pt": f64(tree[f"{prefix}_pt"]), "eta": f64(tree[f"{prefix}_eta"]),
              "phi": f64(tree[f"{prefix}_phi"]), "mass": f64(tree[f"{prefix}_mass"])}
    for name in extra:
        fields[name] = tree[f"{prefix}_{name}"]
    return ak.zip(fields, with_name="Momentum4D")


def check(path_json, report):
    fixture = json.loads(Path(path_json).read_text())
    name = Path(path_json).stem
    branches = uproot.open(fixture["file"])["Events"]
    keys = set(branches.keys())
    want = [k for k in keys if k.split("_")[0] in ("Muon", "Electron", "Jet", "GenPart", "MET")
            or k in ("nMuon", "nElectron", "nJet", "nPhoton", "nTau", "run", "luminosityBlock", "event",
                     fixture["flag"]["branch"])]
    t = branches.arrays(want)
    report.compare(f"{name}: entries", [fixture["entries"]], [branches.num_entries], exact)

    for coll, n in fixture["counts"].items():
        report.compare(f"{name}: {coll} counts", n, ak.to_list(t[f"n{coll}"]), exact)

    for field in ("pt", "eta", "phi", "mass", "charge"):
        report.compare(f"{name}: Muon_{field}", fixture[f"muon_{field}"], ak.to_list(t[f"Muon_{field}"]),
                       exact if field == "charge" else f32)

    muons = p4(t, "Muon", ["charge"])
    a, b = ak.unzip(ak.combinations(muons, 2))
    opposite = a.charge != b.charge
    report.compare(f"{name}: opposite-charge dimuon masses (vector)", fixture["dimuon_mass_opposite_charge"],
                   ak.to_list((a + b).mass[opposite]), close())

    jets = p4(t, "Jet")
    m, j = ak.unzip(ak.cartesian([muons, jets], axis=1))
    report.compare(f"{name}: muon x jet deltaR (vector)", fixture["muon_jet_deltaR"], ak.to_list(m.deltaR(j)), close())

    idx = t["Electron_jetIdx"]
    matched = t["Jet_pt"][ak.mask(idx, idx >= 0)]
    report.compare(f"{name}: electron.matchedJet.pt = Jet_pt[Electron_jetIdx]", fixture["electron_matched_jet_pt"],
                   ak.to_list(matched), f32)

    report.compare(f"{name}: MET_pt", fixture["met_pt"], ak.to_list(t["MET_pt"]), f32)
    for field in ("run", "luminosityBlock", "event"):
        report.compare(f"{name}: {field}", fixture[field], ak.to_list(t[field]), exact)
    flag = fixture["flag"]
    report.compare(f"{name}: {flag['branch']}", flag["values"], ak.to_list(t[flag["branch"]]), exact)

    if "muon_gen_pdgId" in fixture:
        gidx = t["Muon_genPartIdx"]
        report.compare(f"{name}: muon.genParticle.pdgId", fixture["muon_gen_pdgId"],
                       ak.to_list(t["GenPart_pdgId"][ak.mask(gidx, gidx >= 0)]), exact)
        mother = t["GenPart_genPartIdxMother"]
        report.compare(f"{name}: genParticle.mother.pdgId", fixture["genpart_mother_pdgId"],
                       ak.to_list(t["GenPart_pdgId"][ak.mask(mother, mother >= 0)]), exact)
        # children: for every particle, how many particles of its event name it as mother.
        local = ak.local_index(mother, axis=1)
        # nested: for particle j, the pairs (j, mother of i) over every i of the event.
        pairs_self, pairs_mother = ak.unzip(ak.cartesian([local, mother], axis=1, nested=True))
        children = ak.sum(pairs_self == pairs_mother, axis=2)
        report.compare(f"{name}: genParticle.children count", fixture["genpart_children_count"], ak.to_list(children), exact)

    if "q6_pt" in fixture:
        btag = t["Jet_btagDeepB"] if "Jet_btagDeepB" in t.fields else t["Jet_btag"]
        jets_b = ak.zip({"pt": jets.pt, "eta": jets.eta, "phi": jets.phi, "mass": jets.mass, "btag": btag}, with_name="Momentum4D")
        j1, j2, j3 = ak.unzip(ak.combinations(jets_b, 3))
        trijet = j1 + j2 + j3
        best = ak.argmin(abs(trijet.mass - 172.5), axis=1, keepdims=True)
        pt = ak.firsts(trijet.pt[best])
        maxb = ak.firsts(np.maximum(np.maximum(j1.btag, j2.btag), j3.btag)[best])
        report.compare(f"{name}: ADL Q6 trijet pt (vector)", fixture["q6_pt"], ak.to_list(pt), close())
        report.compare(f"{name}: ADL Q6 max btag", fixture["q6_max_btag"], ak.to_list(maxb), f32)
        # jets.triples(): every triple in ak.combinations order, and its mass.
        report.compare(f"{name}: jets.triples() masses (vector)", fixture["trijet_mass"], ak.to_list(trijet.mass), close())
        i1, i2, i3 = ak.unzip(ak.argcombinations(jets_b, 3))
        report.compare(f"{name}: jets.triples() local indices = ak.argcombinations(jets, 3)", fixture["trijet_local_index"],
                       ak.to_list(ak.concatenate([i1[..., None], i2[..., None], i3[..., None]], axis=2)), exact)


def main(argv):
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    files = sorted(Path(argv[1]).glob("*.json"))
    if not files:
        print(f"no fixtures in {argv[1]}", file=sys.stderr)
        return 2
    report = Report()
    for path in files:
        check(path, report)
    if report.failures:
        print("KaonNano differs from uproot + awkward + vector:\n" + "\n".join(report.failures))
        return 1
    print(f"KaonNano agrees with uproot + awkward + vector: {report.checked} quantities in {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
