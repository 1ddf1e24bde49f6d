"""The eight ADL queries with uproot + awkward + vector, in one pass over the file in chunks
(the columnar way a Python analysis is written), filled into boost-histogram-compatible
counts with flow. Prints one JSON line: events, seconds and cpu_seconds (first read to last
fill), and the histograms' counts.

Usage: python uproot_adl.py FILE [--binning root-project|paper] [--step N]
"""
import argparse
import json
import sys
import time

import awkward as ak
import numpy as np
import uproot
import vector

vector.register_awkward()

BRANCHES = ["MET_pt", "MET_phi", "Jet_pt", "Jet_eta", "Jet_phi", "Jet_mass", "Jet_btag",
            "Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_charge",
            "Electron_pt", "Electron_eta", "Electron_phi", "Electron_mass", "Electron_charge"]
BINNINGS = {
    "root-project": {"q1": (0, 200), "q2": (15, 60), "q3": (15, 60), "q4": (0, 200), "q5": (0, 200),
                     "q6pt": (15, 40), "q6btag": (0, 1), "q7": (15, 200), "q8": (0, 200)},
    "paper": {"q1": (0, 2000), "q2": (15, 60), "q3": (15, 60), "q4": (0, 2000), "q5": (0, 2000),
              "q6pt": (15, 40), "q6btag": (0, 1), "q7": (15, 200), "q8": (15, 250)},
}


def p4(events, prefix, **extra):
    # float64, like Kaon and ROOT's PtEtaPhiMVector: in float32 the trijet choice of Q6 differs.
    fields = {f: ak.values_astype(events[f"{prefix}_{f}"], np.float64) for f in ("pt", "eta", "phi", "mass")}
    fields.update({k: events[f"{prefix}_{v}"] for k, v in extra.items()})
    return ak.zip(fields, with_name="Momentum4D")


def queries(events, binning):
    """The values each histogram is filled with, for one chunk."""
    met, met_phi = ak.values_astype(events["MET_pt"], np.float64), ak.values_astype(events["MET_phi"], np.float64)
    jets = p4(events, "Jet", btag="btag")
    muons = p4(events, "Muon", charge="charge")
    electrons = p4(events, "Electron", charge="charge")
    out = {"q1": met, "q2": ak.flatten(jets.pt), "q3": ak.flatten(jets.pt[abs(jets.eta) < 1]),
           "q4": met[ak.sum(jets.pt > 40, axis=1) >= 2]}

    m1, m2 = ak.unzip(ak.combinations(muons, 2))
    mass = (m1 + m2).mass
    out["q5"] = met[ak.any((m1.charge != m2.charge) & (mass > 60) & (mass < 120), axis=1)]

    j1, j2, j3 = ak.unzip(ak.combinations(jets, 3))
    trijet = j1 + j2 + j3
    best = ak.argmin(abs(trijet.mass - 172.5), axis=1, keepdims=True)
    has3 = ak.num(jets) >= 3
    out["q6pt"] = ak.flatten(trijet.pt[best][has3])
    btag = np.maximum(np.maximum(j1.btag, j2.btag), j3.btag)
    out["q6btag"] = ak.flatten(btag[best][has3])

    good = jets[jets.pt > 30]
    light = ak.concatenate([muons[muons.pt > 10], electrons[electrons.pt > 10]], axis=1)
    jet, lepton = ak.unzip(ak.cartesian([good, light], nested=True))
    sums = ak.sum(good.pt[ak.all(jet.deltaR(lepton) >= 0.4, axis=-1)], axis=1)
    out["q7"] = sums if binning == "paper" else sums[sums != 0]

    leptons = ak.concatenate([ak.with_field(muons, 13, "flavour"), ak.with_field(electrons, 11, "flavour")], axis=1)
    leptons = ak.with_field(leptons, ak.local_index(leptons), "index")
    l1, l2 = ak.unzip(ak.combinations(leptons, 2))
    sfos = (l1.flavour == l2.flavour) & (l1.charge != l2.charge)
    distance = ak.where(sfos, abs((l1 + l2).mass - 91.2), np.inf)
    keep = (ak.num(leptons) >= 3) & ak.any(sfos, axis=1)
    pair = ak.argmin(distance, axis=1, keepdims=True)
    i, j = ak.firsts(l1.index[pair]), ak.firsts(l2.index[pair])
    others = leptons[(leptons.index != i) & (leptons.index != j)]
    leading = ak.firsts(others[ak.argmax(others.pt, axis=1, keepdims=True)])
    mt = np.sqrt(2 * leading.pt * met * (1 - np.cos(leading.phi - met_phi)))
    out["q8"] = mt[keep]
    return out


def counts(values, lower, upper, bins=100):
    """boost-histogram's Regular(bins, lower, upper) counts with under- and overflow."""
    values = np.asarray(ak.to_numpy(values), dtype=np.float64)
    z = (values - lower) / (upper - lower)
    index = np.where(z < 0, -1, np.where(z < 1, np.floor(z * bins), bins)).astype(np.int64)
    return np.bincount(index + 1, minlength=bins + 2)


def iterate_local(file, branches, step):
    """The tree `Events` of a local file, in chunks of `step` entries."""
    return uproot.iterate(f"{file}:Events", branches, step_size=step)


def main(argv, iterate=iterate_local, description=__doc__):
    """Times the eight queries over `iterate(file, BRANCHES, step)`'s chunks (opening the file
    included) and prints one JSON line; benchmarks/remote/uproot_adl_url.py passes its own
    `iterate` for URLs."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--binning", default="root-project", choices=list(BINNINGS))
    ap.add_argument("--step", type=int, default=200_000)
    args = ap.parse_args(argv)
    start, cpu_start = time.perf_counter(), time.process_time()
    binning = BINNINGS[args.binning]
    total = {key: np.zeros(102, dtype=np.int64) for key in binning}
    events = 0
    for chunk in iterate(args.file, BRANCHES, args.step):
        events += len(chunk)
        for key, values in queries(chunk, args.binning).items():
            total[key] += counts(values, *binning[key])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"events": events, "seconds": seconds, "cpu_seconds": cpu, "counts": {k: v.tolist() for k, v in total.items()}}))


if __name__ == "__main__":
    main(sys.argv[1:])
