"""The eight ADL queries with coffea on Dask: a coffea processor over NanoEvents (NanoAODSchema),
run by coffea's `processor.Runner` with its `DaskExecutor` on the workers of a running Dask
scheduler, in chunks of --chunksize entries (one Dask task each), filling `hist` histograms
that Dask tree-reduces, the way a coffea analysis is run at an analysis facility.

(coffea 2026 runs NanoEvents either through this processor/Runner path — NanoEvents in
"virtual" mode, columns read when touched — or as a dask-awkward graph; the peers' venv has
coffea without the dask-awkward extra, so this is the processor path. Both split the files
into chunks that run as Dask tasks, as `kaon adl --scheduler` splits them into work items.)

The selections are those of `kaon adl` and of benchmarks/adl/uproot_adl.py (whose binnings
this reuses); kinematics use coffea's own four-vector behaviour (sums, .mass, .delta_r), on
float64 copies of the NanoAOD fields (see `candidates`).

Prints one JSON line: events, seconds (Runner start to histograms back on the client) and
the histograms' counts with flow bins, as uproot_adl.py does.

Usage: python coffea_adl.py FILE... --scheduler tcp://HOST:PORT [--chunksize 100000]
"""
import argparse
import json
import os
import sys
import time
import warnings

import awkward as ak
import hist
import numpy as np
from coffea import processor
from coffea.nanoevents import NanoAODSchema
from coffea.nanoevents.methods import vector

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "adl"))
from uproot_adl import BINNINGS  # noqa: E402


def candidates(particles, *extra):
    """Four-vectors (pt, eta, phi, mass) in float64, with the `extra` fields: `kaon adl`'s
    four-vectors are float64 like ROOT's PtEtaPhiMVector, and with NanoAOD's float32 coffea's
    sums choose a different trijet (Q6) in some events of a 20 000-event sample."""
    fields = {name: ak.values_astype(particles[name], np.float64) for name in ("pt", "eta", "phi", "mass")}
    return ak.zip({**fields, **{name: particles[name] for name in extra}}, with_name="PtEtaPhiMLorentzVector",
                  behavior=vector.behavior)


def isolated_from(jets, leptons):
    """Per jet: no lepton within ΔR < 0.4."""
    pairs = ak.cartesian({"jet": jets, "lepton": leptons}, nested=True)
    return ak.all(pairs.jet.delta_r(pairs.lepton) >= 0.4, axis=-1)


class ADLProcessor(processor.ProcessorABC):
    def __init__(self, binning="root-project"):
        self.binning = binning

    def histogram(self, key):
        lower, upper = BINNINGS[self.binning][key]
        return hist.Hist.new.Reg(100, lower, upper, name=key).Int64()

    def process(self, events):
        met = events.MET
        jets, muons, electrons = candidates(events.Jet, "btag"), candidates(events.Muon, "charge"), \
            candidates(events.Electron, "charge")
        out = {"q1": met.pt, "q2": ak.flatten(jets.pt), "q3": ak.flatten(jets[abs(jets.eta) < 1].pt),
               "q4": met.pt[ak.sum(jets.pt > 40, axis=1) >= 2]}

        dimuons = ak.combinations(muons, 2, fields=["first", "second"])
        mass = (dimuons.first + dimuons.second).mass
        z_like = (dimuons.first.charge != dimuons.second.charge) & (mass > 60) & (mass < 120)
        out["q5"] = met.pt[ak.any(z_like, axis=1)]

        trijets = ak.combinations(jets[ak.num(jets) >= 3], 3, fields=["j1", "j2", "j3"])
        trijet = trijets.j1 + trijets.j2 + trijets.j3
        best = ak.argmin(abs(trijet.mass - 172.5), axis=1, keepdims=True)
        out["q6pt"] = ak.flatten(trijet[best].pt)
        out["q6btag"] = ak.flatten(np.maximum(np.maximum(trijets.j1.btag, trijets.j2.btag), trijets.j3.btag)[best])

        good = jets[jets.pt > 30]
        clean = isolated_from(good, muons[muons.pt > 10]) & isolated_from(good, electrons[electrons.pt > 10])
        sums = ak.sum(good[clean].pt, axis=1)
        out["q7"] = sums if self.binning == "paper" else sums[sums != 0]

        leptons = ak.concatenate([ak.with_field(muons, 13, "flavour"), ak.with_field(electrons, 11, "flavour")], axis=1)
        leptons = ak.with_field(leptons, ak.local_index(leptons), "index")
        pairs = ak.combinations(leptons, 2, fields=["l1", "l2"])
        sfos = (pairs.l1.flavour == pairs.l2.flavour) & (pairs.l1.charge != pairs.l2.charge)
        distance = ak.where(sfos, abs((pairs.l1 + pairs.l2).mass - 91.2), np.inf)
        best_pair = pairs[ak.argmin(distance, axis=1, keepdims=True)]
        others = leptons[(leptons.index != ak.firsts(best_pair.l1.index)) & (leptons.index != ak.firsts(best_pair.l2.index))]
        leading = ak.firsts(others[ak.argmax(others.pt, axis=1, keepdims=True)])
        mt = np.sqrt(2 * leading.pt * met.pt * (1 - np.cos(leading.phi - met.phi)))
        out["q8"] = mt[(ak.num(leptons) >= 3) & ak.any(sfos, axis=1)]

        result = {"events": len(events)}
        for key, values in out.items():
            result[key] = self.histogram(key).fill(ak.to_numpy(values))
        return result

    def postprocess(self, accumulator):
        return accumulator


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--scheduler", required=True, help="the Dask scheduler, tcp://HOST:PORT")
    ap.add_argument("--chunksize", type=int, default=100_000, help="entries per task (kaon.dask's default block size)")
    ap.add_argument("--binning", default="root-project", choices=list(BINNINGS))
    args = ap.parse_args(argv)
    from distributed import Client

    warnings.filterwarnings("ignore", module="coffea")  # NanoAODSchema's notes on cross-references this schema lacks
    start = time.perf_counter()
    with Client(args.scheduler, timeout=30) as client:
        runner = processor.Runner(executor=processor.DaskExecutor(client=client, status=False), schema=NanoAODSchema,
                                  chunksize=args.chunksize)
        output = runner({"data": [os.path.abspath(f) for f in args.files]}, ADLProcessor(args.binning), treename="Events")
    seconds = time.perf_counter() - start
    counts = {key: output[key].values(flow=True).astype(np.int64).tolist() for key in BINNINGS[args.binning]}
    print(json.dumps({"events": output["events"], "seconds": seconds, "counts": counts}))


if __name__ == "__main__":
    main(sys.argv[1:])
