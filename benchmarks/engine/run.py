#!/usr/bin/env python3
"""Engine-overhead benchmark: the analysis engine (`kaon bench-engine`) against ROOT
RDataFrame (PyROOT, compiled C++ function, one thread) on the generated 1M-event NanoAOD-style
sample, for (a) an empty graph — a count only — and (b) one histogram of MET_pt.

Reports events/s (entries over the process' wall time, so start-up and RDataFrame's JIT
count, and the in-process event-loop rate), peak RSS, and the ratio Kaon / RDataFrame, as
medians of --repeat runs measured in the same session; then Kaon's peak RSS at 1M and at 10M
entries (the 1M file chained ten times). Every run's count / histogram sum is checked
against RDataFrame's.

Usage: python benchmarks/engine/run.py [--kaon .build/release/kaon] [--repeat 3] [--data-dir DIR]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BenchmarkError, ensure_sample, run_process  # noqa: E402


def measure(cmd):
    try:
        p = run_process(cmd)
    except BenchmarkError as error:
        sys.exit(str(error))
    return p.wall, p.rss_mb, json.loads(p.stdout.strip().splitlines()[-1])


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kaon", default=os.path.join(REPO, ".build", "release", "kaon"))
    ap.add_argument("--shared", default=os.path.join(REPO, "..", "shared"))
    ap.add_argument("--data-dir", default=os.path.join(REPO, "benchmarks", "data"))
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs per row; medians are shown")
    ap.add_argument("--chain", type=int, default=10, help="copies of the file for the large-dataset RSS row")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    args = ap.parse_args(argv)

    sample = ensure_sample(args.shared, args.data_dir, args.events, "zstd:5")
    rows = []
    for graph in ["empty", "met"]:
        tools = {
            "Kaon": [args.kaon, "bench-engine", sample, "--graph", graph, "--threads", "1"],
            "RDataFrame": [sys.executable, os.path.join(HERE, "rdf_engine.py"), sample, graph, "1"],
        }
        measured = {}
        for name, cmd in tools.items():
            runs = [measure(cmd) for _ in range(args.repeat)]
            checks = {json.dumps({k: v for k, v in r[2].items() if k in ("count", "met_sum", "entries")}) for r in runs}
            measured[name] = {
                "wall": statistics.median(r[0] for r in runs),
                "loop": statistics.median(r[2]["seconds"] for r in runs),
                "rss": statistics.median(r[1] for r in runs),
                "entries": runs[0][2]["entries"],
                "check": checks,
            }
            print(f"{graph:6} {name:10} wall {measured[name]['wall']:.2f} s, loop {measured[name]['loop']:.2f} s, "
                  f"RSS {measured[name]['rss']:.0f} MB", file=sys.stderr)
        if measured["Kaon"]["check"] != measured["RDataFrame"]["check"]:
            sys.exit(f"results differ for graph {graph}: Kaon {measured['Kaon']['check']} vs RDataFrame {measured['RDataFrame']['check']}")
        rows.append((graph, measured))

    chain_rss = {}
    for chain in [1, args.chain]:
        runs = [measure([args.kaon, "bench-engine", sample, "--graph", "met", "--threads", "1", "--chain", str(chain)])
                for _ in range(args.repeat if chain == 1 else 1)]
        chain_rss[chain] = (runs[0][2]["entries"], statistics.median(r[1] for r in runs), statistics.median(r[0] for r in runs))

    lines = [f"# Engine overhead — {datetime.date.today()} ({platform.machine()}, {os.cpu_count()} cores, 1 thread)", "",
             f"Sample: {os.path.basename(sample)} ({args.events} entries). Medians of {args.repeat} runs, measured in the same session.",
             "events/s (wall) counts process start-up, reading and (RDataFrame) JIT; events/s (loop) is the event loop alone.", "",
             "| graph | tool | events/s (wall) | events/s (loop) | peak RSS (MB) | Kaon / RDataFrame (wall) | Kaon / RDataFrame (loop) |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for graph, m in rows:
        for name in ["Kaon", "RDataFrame"]:
            r = m[name]
            ratio_wall = m["RDataFrame"]["wall"] / m["Kaon"]["wall"]
            ratio_loop = m["RDataFrame"]["loop"] / m["Kaon"]["loop"]
            lines.append(f"| {graph} | {name} | {r['entries'] / r['wall']:,.0f} | {r['entries'] / r['loop']:,.0f} | {r['rss']:.0f} | "
                         + (f"{ratio_wall:.2f}× | {ratio_loop:.2f}× |" if name == "Kaon" else "1 | 1 |"))
    lines += ["", "Kaon's peak RSS with the dataset size (graph: MET histogram, 1 thread):", "",
              "| entries | peak RSS (MB) | wall (s) |", "|---:|---:|---:|"]
    for chain, (entries, rss, wall) in chain_rss.items():
        lines.append(f"| {entries:,} | {rss:.0f} | {wall:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
