#!/usr/bin/env python3
"""Columnar kernel benchmark: Kaon (KaonColumns/KaonPhysics) vs awkward + vector.

Kernels, on the same events and the same in-memory columns on both sides (reading the file is
not timed):

  sum_per_list    per-event sum of Jet_pt              ak.sum(jet_pt, axis=1)
  pair_mass       all jet pairs, their invariant mass  (p["0"] + p["1"]).mass, p = ak.combinations(jets, 2)
  delta_r_matrix  every (muon, jet) pair's deltaR      mu.deltaR(jet) over ak.unzip(ak.cartesian([mu, jets]))
  argsort         descending argsort of Jet_pt          ak.argsort(jet_pt, axis=1, ascending=False)
  adl_q6          ADL query 6 (trijet closest to 172.5 GeV: pt and max btag)

Plus, Kaon only: the NanoAOD object-view event loop against the same loop written by hand over
the raw buffers (`object_vs_raw`, the median of per-run ratios; the goal is <= 1.2x).

Each kernel runs --repetitions times; the fastest run counts (least disturbed by other load).

Kaon's numbers come from `kaon-bench columns FILE --json` (--kaon-bench BINARY, else
$KAON_BENCH, else .build/release/kaon-bench), or from --kaon-json FILE, a JSON object in the
same format measured beforehand.

Input: --file, else benchmarks/data/adl-1000000-zstd5.root when present, else the shared
1000-event ADL file replicated --replicate times (written once with uproot to
benchmarks/data/adl-replicated-<N>-charge.root).

Writes a Markdown table to stdout and to benchmarks/results/columns.md.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import awkward as ak
import numpy as np
import uproot
import vector

vector.register_awkward()

REPO = Path(__file__).resolve().parents[2]
KERNELS = ["sum_per_list", "pair_mass", "delta_r_matrix", "argsort", "adl_q6"]
# Muon_charge is for Kaon's object-vs-raw loop (opposite-charge pairs), not for the kernels.
BRANCHES = ["Jet_pt", "Jet_eta", "Jet_phi", "Jet_mass", "Jet_btag", "Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass",
            "Muon_charge"]


def pick_input(args):
    if args.file:
        return Path(args.file)
    generated = REPO / "benchmarks" / "data" / "adl-1000000-zstd5.root"
    if generated.is_file():
        return generated
    shared = Path(args.shared) / "data" / "adl" / "Run2012B_SingleMu_1000.root"
    out = REPO / "benchmarks" / "data" / f"adl-replicated-{args.replicate}-charge.root"
    if not out.is_file():
        a = uproot.open(shared)["Events"].arrays(BRANCHES)
        a = ak.concatenate([a] * args.replicate)
        out.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "Jet": ak.zip({k[4:]: a[k] for k in BRANCHES if k.startswith("Jet_")}),
            "Muon": ak.zip({k[5:]: a[k] for k in BRANCHES if k.startswith("Muon_")}),
        }
        with uproot.recreate(out) as f:
            # mktree: a TTree (nJet, Jet_pt[nJet], ...), not uproot's default RNTuple.
            f.mktree("Events", {name: array.type.content for name, array in data.items()})
            f["Events"].extend(data)
    return out


def best_of(n, fn):
    fastest = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def awkward_side(path, repetitions):
    a = uproot.open(path)["Events"].arrays(BRANCHES)
    jets = vector.zip({"pt": a.Jet_pt, "eta": a.Jet_eta, "phi": a.Jet_phi, "mass": a.Jet_mass})
    muons = vector.zip({"pt": a.Muon_pt, "eta": a.Muon_eta, "phi": a.Muon_phi, "mass": a.Muon_mass})

    def pair_mass():
        p = ak.combinations(jets, 2)
        return (p["0"] + p["1"]).mass

    def delta_r():
        m, j = ak.unzip(ak.cartesian([muons, jets]))
        return m.deltaR(j)

    def q6():
        t = ak.combinations(jets, 3, fields=["a", "b", "c"])
        s = t.a + t.b + t.c
        best = ak.argmin(abs(s.mass - 172.5), axis=1, keepdims=True)
        b = ak.combinations(a.Jet_btag, 3, fields=["a", "b", "c"])[best]
        return ak.firsts(s[best].pt), ak.firsts(np.maximum(np.maximum(b.a, b.b), b.c))

    fns = {
        "sum_per_list": lambda: ak.sum(a.Jet_pt, axis=1),
        "pair_mass": pair_mass,
        "delta_r_matrix": delta_r,
        "argsort": lambda: ak.argsort(a.Jet_pt, axis=1, ascending=False),
        "adl_q6": q6,
    }
    info = {"entries": len(a), "jets": int(ak.sum(ak.num(a.Jet_pt))), "muons": int(ak.sum(ak.num(a.Muon_pt)))}
    return info, {k: best_of(repetitions, fns[k]) for k in KERNELS}


def kaon_side(args, path):
    if args.kaon_json:
        return json.loads(Path(args.kaon_json).read_text()), f"--kaon-json {args.kaon_json}"
    kaon_bench = args.kaon_bench or os.environ.get("KAON_BENCH") or str(REPO / ".build" / "release" / "kaon-bench")
    if not Path(kaon_bench).is_file():
        sys.exit(f"no Kaon measurement: kaon-bench not found at {kaon_bench}; build it with "
                 "`swift build -c release --product kaon-bench`, or pass --kaon-bench or --kaon-json")
    result = subprocess.run([kaon_bench, "columns", str(path), "--json", "--repetitions", str(args.repetitions)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"kaon-bench columns failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout), f"{kaon_bench} columns"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file")
    parser.add_argument("--shared", default=os.environ.get("SHARED", str(REPO.parent / "shared")))
    parser.add_argument("--replicate", type=int, default=1000)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--kaon-bench")
    parser.add_argument("--kaon-json")
    parser.add_argument("--results-dir", default=str(REPO / "benchmarks" / "results"))
    args = parser.parse_args()

    path = pick_input(args)
    kaon, source = kaon_side(args, path)
    info, peer = awkward_side(path, args.repetitions)
    if kaon.get("entries") != info["entries"] or kaon.get("jets") != info["jets"]:
        sys.exit(f"Kaon and awkward saw different data: {kaon.get('entries')}/{kaon.get('jets')} vs {info}")

    lines = [
        f"Input: `{path.name}`: {info['entries']:,} events, {info['jets']:,} jets, {info['muons']:,} muons; "
        f"fastest of {args.repetitions} runs; 1 thread each.",
        f"Kaon via `{source}` (reading the columns took {kaon.get('load_seconds', float('nan')):.2f} s, not included); "
        f"awkward {ak.__version__}, vector {vector.__version__}, numpy {np.__version__}.",
        "",
        "| kernel | Kaon (s) | awkward (s) | awkward / Kaon | Kaon M events/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for k in KERNELS:
        ks, ps = kaon["kernels"][k], peer[k]
        lines.append(f"| {k} | {ks:.4f} | {ps:.4f} | {ps / ks:.1f}x | {info['entries'] / ks / 1e6:.1f} |")
    loops = kaon.get("object_loop")
    if loops is None:
        sys.exit("Kaon's measurement has no object_loop (object view vs raw loop): use a kaon-bench whose "
                 "columns subcommand times it (the default)")
    lines += [
        "",
        f"Object view vs a hand-written loop over the same buffers (Kaon only; NanoBenchmarks: muon pt sum, "
        f"opposite-charge dimuon mass window, jet b-tag sum), one run of each alternately, {loops['runs']} times:",
        "",
        "| loop | object view (s) | raw loop (s) | object / raw (median of per-run ratios) | ratios |",
        "|---|---:|---:|---:|---|",
        f"| object_vs_raw | {loops['object_seconds_median']:.4f} | {loops['raw_seconds_median']:.4f} | "
        f"{loops['ratio_median']:.2f}x | {', '.join(f'{r:.2f}' for r in loops['ratios'])} |",
    ]
    text = "\n".join(lines)
    print(text)
    results = Path(args.results_dir)
    results.mkdir(parents=True, exist_ok=True)
    (results / "columns.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
