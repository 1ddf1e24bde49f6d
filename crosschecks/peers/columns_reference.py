#!/usr/bin/env python3
"""Recompute Kaon's columnar fixtures with awkward + vector and PyROOT GenVector, and compare.

Usage: columns_reference.py DIR

DIR holds one JSON file per input ROOT file (written by the Swift test
`PeerFixtureTests` in Tests/KaonColumnsTests). Every quantity in them is recomputed here
from the same ROOT file with independent implementations:

* awkward 2 (reductions, sorting, masks, combinations, cartesian, concatenation, take),
  numpy float32 ufuncs (element-wise math);
* scikit-hep `vector` on awkward arrays (kinematics, masses, deltaR/deltaphi, Q6);
* PyROOT `ROOT.Math.PtEtaPhiMVector` / `VectorUtil` (per-object and pair kinematics,
  negative-mass conventions, deltaR, boosts) to double precision.

Exits 0 when everything agrees, 1 with a per-quantity diff (first mismatches with their
event index, Kaon's and the peer's values) otherwise, 2 on a usage or setup error.
"""
import json
import math
import os
import sys
from pathlib import Path

import awkward as ak
import numpy as np
import uproot
import vector

vector.register_awkward()

# ----------------------------------------------------------------------------- comparison


def num(x):
    """JSON leaf → Python value ("nan"/"inf"/"-inf" strings are the non-finite floats)."""
    if isinstance(x, str):
        return float(x)
    return x


def isnan(x):
    return isinstance(x, float) and math.isnan(x)


def exact(a, b):
    return a == b or (isnan(a) and isnan(b))


def f32(a, b):
    """Equal as float32 (Kaon writes Floats as their shortest repr)."""
    if isnan(a) and isnan(b):
        return True
    return np.float32(a) == np.float32(b)


def ulps32(n):
    def eq(a, b):
        if isnan(a) or isnan(b):
            return isnan(a) and isnan(b)
        x, y = np.float32(a), np.float32(b)
        if x == y:
            return True
        if not (np.isfinite(x) and np.isfinite(y)):
            return False
        ix = np.array([x], dtype=np.float32).view(np.int32)[0].astype(np.int64)
        iy = np.array([y], dtype=np.float32).view(np.int32)[0].astype(np.int64)
        # Map the sign-magnitude representation onto a monotonic integer line.
        ix = ix if ix >= 0 else -(ix & 0x7FFFFFFF)
        iy = iy if iy >= 0 else -(iy & 0x7FFFFFFF)
        return abs(ix - iy) <= n
    eq.__name__ = f"within {n} float32 ulps"
    return eq


def close(rtol, atol=0.0):
    def eq(a, b):
        if isnan(a) or isnan(b):
            return isnan(a) and isnan(b)
        if math.isinf(a) or math.isinf(b):
            return a == b
        return abs(a - b) <= atol + rtol * max(abs(a), abs(b))
    eq.__name__ = f"rtol={rtol:g} atol={atol:g}"
    return eq


class Report:
    def __init__(self):
        self.checks = 0
        self.failures = []

    def compare(self, name, kaon, ref, eq=exact):
        """Compares nested lists (with None) leaf by leaf; records the first mismatches."""
        self.checks += 1
        bad = []

        def walk(k, r, where):
            if len(bad) >= 5:
                return
            if isinstance(r, (list, tuple)) or isinstance(k, list):
                if not isinstance(k, list) or not isinstance(r, (list, tuple)) or len(k) != len(r):
                    bad.append(f"  at {where}: structure differs: kaon={_short(k)} peer={_short(r)}")
                    return
                for i, (kk, rr) in enumerate(zip(k, r)):
                    walk(kk, rr, where + [i])
                return
            k = num(k)
            if k is None or r is None:
                if not (k is None and r is None):
                    bad.append(f"  at {where}: kaon={k!r} peer={r!r}")
                return
            if not eq(k, float(r) if isinstance(r, (float, np.floating)) else r):
                bad.append(f"  at {where}: kaon={k!r} peer={r!r} ({getattr(eq, '__name__', 'exact')})")

        walk(kaon, ref, [])
        if bad:
            self.failures.append(f"{name}:\n" + "\n".join(bad))
        return not bad


def _short(x):
    s = repr(x)
    return s if len(s) < 120 else s[:117] + "..."


def tolist(a):
    return ak.to_list(a)


# ----------------------------------------------------------------------------- peers


def p4(arrays, prefix, dtype=None):
    fields = {f: arrays[f"{prefix}_{f}"] for f in ("pt", "eta", "phi", "mass")}
    if dtype is not None:
        fields = {f: ak.values_astype(v, dtype) for f, v in fields.items()}
    return vector.zip(fields)


def root_vectors(arrays, prefix):
    """Per event, the list of ROOT.Math.PtEtaPhiMVector of a collection (float32 inputs
    promoted exactly to double, as ROOT would read them)."""
    import ROOT
    V = ROOT.Math.PtEtaPhiMVector
    cols = [tolist(arrays[f"{prefix}_{f}"]) for f in ("pt", "eta", "phi", "mass")]
    return [[V(pt, eta, phi, m) for pt, eta, phi, m in zip(*event)] for event in zip(*cols)]


def mass_eq(energies_scale):
    """Masses agree when their signed squares agree to ~1e-12 of E² (m = sqrt(E² - p²)
    cancels for light objects, so a relative test on m itself would be meaningless)."""
    def eq(a, b):
        sa, sb = math.copysign(a * a, a), math.copysign(b * b, b)
        return abs(sa - sb) <= 1e-12 * energies_scale + 1e-300
    return eq


def check_file(report, fixture):
    path = fixture["file"]
    tag = Path(path).name
    tree = uproot.open(path)["Events"]
    names = [n for n in tree.keys() if n.split("_")[0] in ("Muon", "Jet", "Electron") or n in ("MET_pt",)]
    a = tree.arrays(names)

    def cmp(name, kaon, ref, eq=exact):
        report.compare(f"[{tag}] {name}", kaon, ref, eq)

    jet_pt, jet_eta, jet_phi, jet_mass = a.Jet_pt, a.Jet_eta, a.Jet_phi, a.Jet_mass
    mu_q = a.Muon_charge

    # ---- counts
    for coll in ("Muon", "Jet", "Electron"):
        cmp(f"counts.{coll}", fixture["counts"][coll], tolist(ak.num(a[f"{coll}_pt"], axis=1)))

    # ---- reductions (awkward; float32 results must be bit-identical)
    r = fixture["reductions"]
    cmp("sum", r["sum"], tolist(ak.sum(jet_pt, axis=1)), f32)
    cmp("prod", r["prod"], tolist(ak.prod(jet_pt, axis=1)), f32)
    cmp("mean", r["mean"], tolist(ak.mean(jet_pt, axis=1)), close(1e-6))
    cmp("min", r["min"], tolist(ak.min(jet_pt, axis=1)), f32)
    cmp("max", r["max"], tolist(ak.max(jet_pt, axis=1)), f32)
    cmp("argmin", r["argmin"], tolist(ak.argmin(jet_pt, axis=1)))
    cmp("argmax", r["argmax"], tolist(ak.argmax(jet_pt, axis=1)))
    cmp("firsts", r["firsts"], tolist(ak.firsts(jet_pt)), f32)
    cmp("lasts", r["lasts"], tolist(ak.firsts(jet_pt[:, ::-1])), f32)
    cmp("any_gt40", r["any_gt40"], tolist(ak.any(jet_pt > 40, axis=1)))
    cmp("all_gt40", r["all_gt40"], tolist(ak.all(jet_pt > 40, axis=1)))
    cmp("count_gt40", r["count_gt40"], tolist(ak.sum(jet_pt > 40, axis=1)))
    cmp("charge_sum", r["charge_sum"], tolist(ak.sum(mu_q, axis=1)))
    cmp("charge_max", r["charge_max"], tolist(ak.max(mu_q, axis=1)))
    empties = int(ak.sum(ak.num(jet_pt, axis=1) == 0))

    # ---- sorting (stable, both directions; charges have many ties)
    s = fixture["sorting"]
    desc = ak.argsort(jet_pt, axis=1, ascending=False)
    cmp("argsort_asc", s["argsort_asc"], tolist(ak.argsort(jet_pt, axis=1)))
    cmp("argsort_desc", s["argsort_desc"], tolist(desc))
    cmp("sorted_desc", s["sorted_desc"], tolist(ak.sort(jet_pt, axis=1, ascending=False)), f32)
    cmp("eta_by_pt_desc", s["eta_by_pt_desc"], tolist(jet_eta[desc]), f32)
    cmp("charge_argsort_desc", s["charge_argsort_desc"], tolist(ak.argsort(mu_q, axis=1, ascending=False, stable=True)))

    # ---- element-wise (numpy float32 semantics)
    e = fixture["elementwise"]
    cmp("pt*2+eta", e["pt2_plus_eta"], tolist(jet_pt * np.float32(2) + jet_eta), f32)
    cmp("pt/mass", e["pt_over_mass"], tolist(jet_pt / jet_mass), f32)
    cmp("pt-MET (broadcast)", e["pt_minus_met"], tolist(jet_pt - a.MET_pt), f32)
    cmp("pt[|eta|<1]", e["central_pt"], tolist(jet_pt[abs(jet_eta) < 1]), f32)
    cmp("pt[(pt>30)&(|eta|<2.4)]", e["good_pt"], tolist(jet_pt[(jet_pt > 30) & (abs(jet_eta) < 2.4)]), f32)
    cmp("sqrt", e["sqrt_pt"], tolist(np.sqrt(jet_pt)), f32)
    for key, ref in (("log_pt", np.log(jet_pt)), ("exp_eta", np.exp(jet_eta)), ("sin_phi", np.sin(jet_phi)),
                     ("cos_phi", np.cos(jet_phi)), ("atan2_eta_phi", np.arctan2(jet_eta, jet_phi)),
                     ("hypot_eta_phi", np.hypot(jet_eta, jet_phi))):
        # libm's float functions and numpy's SIMD float32 ufuncs may differ in the last bits.
        cmp(key, e[key], tolist(ref), ulps32(2))
    cmp("local_index", e["local_index"], tolist(ak.local_index(jet_pt, axis=1)))
    cmp("concatenate(mu, el)", e["leptons_pt"], tolist(ak.concatenate([a.Muon_pt, a.Electron_pt], axis=1)), f32)
    cmp("flatten", int(e["flatten_len"]), len(ak.flatten(jet_pt)))

    # ---- combinations (lexicographic) and the cross-reference
    c = fixture["combinations"]
    cmp("argcombinations(2)", c["k2"], [tolist(x) for x in ak.unzip(ak.argcombinations(jet_pt, 2))])
    cmp("argcombinations(3)", c["k3"], [tolist(x) for x in ak.unzip(ak.argcombinations(jet_pt, 3))])
    idx = a.Electron_jetIdx
    cmp("take(Electron_jetIdx)", fixture["electron_jet_pt"], tolist(jet_pt[ak.mask(idx, idx >= 0)]), f32)

    # ---- kinematics: ROOT (double) tightly, vector on float64 inputs tightly
    import ROOT
    VU = ROOT.Math.VectorUtil
    muons_root, jets_root, electrons_root = root_vectors(a, "Muon"), root_vectors(a, "Jet"), root_vectors(a, "Electron")
    tight = close(1e-12, 1e-12)
    for coll, vs in (("muon", muons_root), ("electron", electrons_root)):
        k = fixture[f"{coll}_kinematics"]
        carts = [[ROOT.Math.PxPyPzEVector(v) for v in ev] for ev in vs]
        for key, fn in (("px", "Px"), ("py", "Py"), ("pz", "Pz"), ("e", "E"), ("pt", "Pt"), ("eta", "Eta"),
                        ("phi", "Phi"), ("rapidity", "Rapidity"), ("mt", "Mt")):
            cmp(f"{coll}.{key} vs ROOT", k[key], [[getattr(x, fn)() for x in ev] for ev in carts], tight)
        e2max = max((x.E() ** 2 for ev in carts for x in ev), default=1.0)
        cmp(f"{coll}.mass vs ROOT", k["mass"], [[x.M() for x in ev] for ev in carts], mass_eq(e2max))
        cmp(f"{coll}.m2 vs ROOT", k["m2"], [[x.M2() for x in ev] for ev in carts], close(0, 1e-12 * e2max))
        v64 = p4(a, coll.capitalize(), np.float64)
        for key, attr in (("px", "px"), ("py", "py"), ("pz", "pz"), ("e", "E"), ("rapidity", "rapidity")):
            cmp(f"{coll}.{key} vs vector", k[key], tolist(getattr(v64, attr)), close(1e-12, 1e-12))
    negative = sum(1 for ev in electrons_root for v in ev if v.M() < 0)

    # ---- opposite-charge dimuons
    d = fixture["dimuon_os"]
    i, j = ak.unzip(ak.argcombinations(a.Muon_pt, 2))
    os_mask = mu_q[i] != mu_q[j]
    i, j = i[os_mask], j[os_mask]
    cmp("dimuon.i", d["i"], tolist(i))
    cmp("dimuon.j", d["j"], tolist(j))
    mu32, mu64 = p4(a, "Muon"), p4(a, "Muon", np.float64)
    pair64 = mu64[i] + mu64[j]
    pair32 = mu32[i] + mu32[j]
    root_pairs = [[muons_root[n][ii] + muons_root[n][jj] for ii, jj in zip(ei, ej)] for n, (ei, ej) in enumerate(zip(tolist(i), tolist(j)))]
    scale = max((p.E() ** 2 for ev in root_pairs for p in ev), default=1.0)
    cmp("dimuon.mass vs ROOT", d["mass"], [[p.M() for p in ev] for ev in root_pairs], mass_eq(scale))
    cmp("dimuon.pt vs ROOT", d["pt"], [[p.Pt() for p in ev] for ev in root_pairs], tight)
    cmp("dimuon.eta vs ROOT", d["eta"], [[p.Eta() for p in ev] for ev in root_pairs], tight)
    cmp("dimuon.phi vs ROOT", d["phi"], [[p.Phi() for p in ev] for ev in root_pairs], tight)
    cmp("dimuon.mass vs vector(f64)", d["mass"], tolist(pair64.mass), close(1e-9, 1e-9))
    # vector computes in float32: m = sqrt(E² - p²) then loses ~1e-7·E² in m², which is a
    # large relative error for light pairs, so compare m² against the pair's own E² scale.
    e2 = tolist(pair64.E ** 2)
    signed = lambda m: None if m is None else math.copysign(num(m) ** 2, num(m))
    cmp("dimuon.mass² vs vector(f32), |Δm²| ≤ 1e-5·E²",
        [[(signed(m) - signed(r)) / s for m, r, s in zip(km, rm, se)] for km, rm, se in zip(d["mass"], tolist(pair32.mass), e2)],
        [[0.0] * len(se) for se in e2], close(0, 1e-5))
    n_dimuons = len(ak.flatten(i))

    # ---- all dielectron pairs (negative masses → space-like sums)
    de = fixture["dielectron"]
    ei, ej = ak.unzip(ak.argcombinations(a.Electron_pt, 2))
    root_ee = [[electrons_root[n][x] + electrons_root[n][y] for x, y in zip(ex, ey)] for n, (ex, ey) in enumerate(zip(tolist(ei), tolist(ej)))]
    scale = max((p.E() ** 2 for ev in root_ee for p in ev), default=1.0)
    cmp("dielectron.mass vs ROOT", de["mass"], [[p.M() for p in ev] for ev in root_ee], mass_eq(scale))
    cmp("dielectron.m2 vs ROOT", de["m2"], [[p.M2() for p in ev] for ev in root_ee], close(0, 1e-12 * scale))
    doubled = [[v + v for v in ev] for ev in electrons_root]
    scale = max((p.E() ** 2 for ev in doubled for p in ev), default=1.0)
    cmp("electron+itself mass vs ROOT (space-like: -sqrt(-m²))", de["self_mass"], [[p.M() for p in ev] for ev in doubled], mass_eq(scale))
    cmp("electron+itself m2 vs ROOT", de["self_m2"], [[p.M2() for p in ev] for ev in doubled], close(0, 1e-12 * scale))
    spacelike = sum(1 for ev in doubled for p in ev if p.M() < 0)
    el64 = p4(a, "Electron", np.float64)
    cmp("dielectron.mass vs vector(f64)", de["mass"], tolist((el64[ei] + el64[ej]).mass), close(1e-9, 1e-9))

    # ---- muon × jet tables
    mj = fixture["muon_jet"]
    mi, jj_ = ak.unzip(ak.argcartesian([a.Muon_pt, jet_pt]))
    cmp("cartesian.mu", mj["mu"], tolist(mi))
    cmp("cartesian.jet", mj["jet"], tolist(jj_))
    jet64, jet32 = p4(a, "Jet", np.float64), p4(a, "Jet")
    cmp("deltaR vs vector(f64)", mj["dr"], tolist(mu64[mi].deltaR(jet64[jj_])), close(1e-12, 1e-12))
    cmp("deltaR vs vector(f32)", mj["dr"], tolist(mu32[mi].deltaR(jet32[jj_])), close(1e-5, 1e-5))
    cmp("deltaR vs ROOT", mj["dr"],
        [[VU.DeltaR(muons_root[n][x], jets_root[n][y]) for x, y in zip(ex, ey)] for n, (ex, ey) in enumerate(zip(tolist(mi), tolist(jj_)))],
        close(1e-12, 1e-12))
    cmp("deltaphi vs vector(f64) [-pi, pi)", mj["dphi"], tolist(mu64[mi].deltaphi(jet64[jj_])), close(1e-12, 1e-12))
    table = jet64[:, :, None].deltaR(mu64[:, None, :])
    cmp("jet min deltaR to muons", mj["jet_min_dr_mu"], tolist(ak.min(table, axis=2)), close(1e-12, 1e-12))

    # ---- per-event jet sums
    js = fixture["jet_sum"]
    sums = []
    for ev in jets_root:
        t = ROOT.Math.PxPyPzEVector(0, 0, 0, 0)
        for v in ev:
            t += ROOT.Math.PxPyPzEVector(v)
        sums.append(t)
    scale = max((t.E() ** 2 for t in sums), default=1.0)
    cmp("jet sum mass vs ROOT", js["mass"], [t.M() for t in sums], mass_eq(scale))
    cmp("jet sum pt vs ROOT", js["pt"], [t.Pt() for t in sums], close(1e-12, 1e-9))

    # ---- boosts into the first opposite-charge dimuon's rest frame
    b = fixture["boost"]
    has = [len(ev) > 0 for ev in root_pairs]
    cmp("boost.has_frame", b["has_frame"], has)
    boosted = []
    for n, ev in enumerate(muons_root):
        if has[n]:
            beta = root_pairs[n][0].BoostToCM()
            boosted.append([VU.boost(ROOT.Math.PxPyPzEVector(v), beta) for v in ev])
        else:
            boosted.append([ROOT.Math.PxPyPzEVector(v) for v in ev])
    for key, fn in (("px", "Px"), ("py", "Py"), ("pz", "Pz"), ("e", "E")):
        cmp(f"boost.{key} vs ROOT", b[key], [[getattr(x, fn)() for x in ev] for ev in boosted], close(1e-9, 1e-9))

    # ---- ADL query 6 (trijet closest to 172.5 GeV): awkward + vector, and the paper's histograms
    if "q6" in fixture:
        q = fixture["q6"]
        trijets = ak.combinations(jet64, 3, fields=["a", "b", "c"])
        tri = trijets.a + trijets.b + trijets.c
        best = ak.argmin(abs(tri.mass - 172.5), axis=1, keepdims=True)
        ref_pt = ak.firsts(tri[best].pt)
        tags = ak.combinations(a.Jet_btag, 3, fields=["a", "b", "c"])[best]
        ref_btag = ak.firsts(np.maximum(np.maximum(tags.a, tags.b), tags.c))
        cmp("q6.pt vs awkward+vector(f64)", q["pt"], tolist(ref_pt), close(1e-12, 1e-12))
        cmp("q6.btag vs awkward", q["btag"], tolist(ref_btag), f32)
        ref_dir = Path(path).parent / "reference"
        for key, hist_range, csv in (("pt", (15, 40), "q6a.csv"), ("btag", (0, 1), "q6b.csv")):
            values = [num(x) for x in q[key] if x is not None]
            counts, _ = np.histogram(values, bins=100, range=hist_range)
            published = np.loadtxt(ref_dir / csv, delimiter=",", skiprows=1)[:, 2]
            cmp(f"q6 {key} histogram vs published {csv}", counts.tolist(), published.astype(int).tolist())

    return f"{tag}: {len(a)} events, {empties} without jets, {n_dimuons} OS dimuons, {negative} negative-mass electrons, {spacelike} space-like sums"


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    directory = Path(sys.argv[1])
    fixtures = sorted(directory.glob("*.json"))
    if not fixtures:
        print(f"no fixtures (*.json) in {directory}", file=sys.stderr)
        return 2
    report = Report()
    for path in fixtures:
        with open(path) as f:
            fixture = json.load(f)
        print(check_file(report, fixture))
    if report.failures:
        print(f"\nFAILED: {len(report.failures)} of {report.checks} comparisons differ\n")
        print("\n\n".join(report.failures))
        return 1
    print(f"OK: {report.checks} comparisons agree (awkward {ak.__version__}, vector {vector.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
