#!/usr/bin/env python3
"""Engine-overhead benchmark: the analysis engine (`kaon-bench engine`) against ROOT
RDataFrame (PyROOT, compiled C++ function, one thread) on the generated 1M-event NanoAOD-style
sample, for (a) an empty graph — a count only — and (b) one histogram of MET_pt.

Reports events/s over the process' wall time (start-up, reading and RDataFrame's JIT count:
what a user waits for) and over the event loop alone (Kaon: the run; RDataFrame: a second,
warm loop of the same graph in the same process, after the JIT of the first), peak RSS, and the ratio Kaon / RDataFrame, as
medians of --repeat runs measured in the same session; then Kaon's peak RSS at 1M and at 10M
entries (the 1M file chained ten times). Every run's count / histogram sum is checked
against RDataFrame's.

With --baseline KAON2 (e.g. a build of an earlier commit) that build is measured in the same
session too, and a before/after table of the event loop is added: its `kaon run` for the demo
analysis, and for the engine rows --baseline-bench, that build's kaon-bench (without it,
`KAON2 bench-engine`: builds from before kaon-bench existed had the command in kaon).

Usage: python benchmarks/engine/run.py [--kaon .build/release/kaon] [--kaon-bench .build/release/kaon-bench]
       [--baseline OLD_KAON [--baseline-bench OLD_KAON_BENCH]] [--repeat 3] [--data-dir DIR]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BenchmarkError, ensure_sample, run_process, sample_arguments  # noqa: E402


def measure(cmd):
    try:
        p = run_process(cmd)
    except BenchmarkError as error:
        sys.exit(str(error))
    return p.wall, p.rss_mb, json.loads(p.stdout.strip().splitlines()[-1])


def measure_demo(args):
    """Wall time of the demo analysis with the baseline and the current binary (medians), after
    checking that both write the same results.json."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            run_process([args.kaon, "demo", "--output", os.path.join(tmp, "demo"), "--threads", "1"])
        except BenchmarkError as error:
            sys.exit(str(error))
        samples = os.path.join(tmp, "demo", "data", "samples.yml")
        walls, outputs = {}, {}
        for name, kaon in [("before", args.baseline), ("now", args.kaon)]:
            out = os.path.join(tmp, name)
            runs = []
            for _ in range(args.repeat):
                try:
                    p = run_process([kaon, "run", samples, "--analysis", "dimuon", "-o", out, "--threads", "1"])
                except BenchmarkError as error:
                    sys.exit(str(error))
                runs.append(p.wall)
                found = re.search(r"(\d+) entries in", p.stdout + p.stderr)
                events = int(found.group(1)) if found else 0
            walls[name] = statistics.median(runs)
            with open(os.path.join(out, "results.json"), "rb") as f:
                outputs[name] = f.read()
        if outputs["before"] != outputs["now"]:
            sys.exit("the demo analysis' results.json differs between the baseline and this build")
        print(f"demo   before {walls['before']:.2f} s, now {walls['now']:.2f} s", file=sys.stderr)
        return events, walls["before"], walls["now"]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sample_arguments(ap, REPO, "runs per row; medians are shown")
    ap.add_argument("--chain", type=int, default=10, help="copies of the file for the large-dataset RSS row")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--kaon-bench", default=os.path.join(REPO, ".build", "release", "kaon-bench"),
                    help="the benchmark executable whose `engine` subcommand runs the graphs")
    ap.add_argument("--baseline", help="an earlier kaon binary, measured in the same session for a before/after table")
    ap.add_argument("--baseline-bench", help="the kaon-bench of the --baseline build (default: `BASELINE bench-engine`)")
    ap.add_argument("--baseline-label", default="before", help="how the before/after table names the baseline")
    args = ap.parse_args(argv)

    sample = ensure_sample(args.shared, args.data_dir, args.events, "zstd:5")
    rows = []
    for graph in ["empty", "met"]:
        tools = {
            "Kaon": [args.kaon_bench, "engine", sample, "--graph", graph, "--threads", "1"],
            "RDataFrame": [sys.executable, os.path.join(HERE, "rdf_engine.py"), sample, graph, "1"],
        }
        if args.baseline:
            baseline = [args.baseline_bench, "engine"] if args.baseline_bench else [args.baseline, "bench-engine"]
            tools["Kaon (baseline)"] = [*baseline, sample, "--graph", graph, "--threads", "1"]
        measured = {}
        for name, cmd in tools.items():
            runs = [measure(cmd) for _ in range(args.repeat)]
            checks = {json.dumps({k: v for k, v in r[2].items() if k in ("count", "met_sum", "entries")}) for r in runs}
            # RDataFrame runs the graph twice (see rdf_engine.py); its user-facing wall time is
            # the process' without the second, warm loop.
            extra = (lambda r: r[2]["seconds"]) if name == "RDataFrame" else (lambda r: 0.0)
            measured[name] = {
                "wall": statistics.median(r[0] - extra(r) for r in runs),
                "loop": statistics.median(r[2]["seconds"] for r in runs),
                "rss": statistics.median(r[1] for r in runs),
                "entries": runs[0][2]["entries"],
                "check": checks,
            }
            print(f"{graph:6} {name:10} wall {measured[name]['wall']:.2f} s, loop {measured[name]['loop']:.2f} s, "
                  f"RSS {measured[name]['rss']:.0f} MB", file=sys.stderr)
        for name in measured:
            if measured[name]["check"] != measured["RDataFrame"]["check"]:
                sys.exit(f"results differ for graph {graph}: {name} {measured[name]['check']} vs RDataFrame {measured['RDataFrame']['check']}")
        rows.append((graph, measured))

    chain_rss = {}
    for chain in [1, args.chain]:
        runs = [measure([args.kaon_bench, "engine", sample, "--graph", "met", "--threads", "1", "--chain", str(chain)])
                for _ in range(args.repeat if chain == 1 else 1)]
        chain_rss[chain] = (runs[0][2]["entries"], statistics.median(r[1] for r in runs), statistics.median(r[0] for r in runs))

    lines = [f"# Engine overhead — {datetime.date.today()} ({platform.machine()}, {os.cpu_count()} cores, 1 thread)", "",
             f"Sample: {os.path.basename(sample)} ({args.events} entries). Medians of {args.repeat} runs, measured in the same session.",
             "events/s (wall): the whole process (start-up, reading, RDataFrame's JIT: what a user waits for); "
             "events/s (loop): the event loop alone (RDataFrame: a second, warm loop in the same process). "
             "RDataFrame's wall time excludes the extra warm loop (process wall − warm loop).", "",
             "| graph | tool | events/s (wall) | events/s (loop) | peak RSS (MB) | Kaon / RDataFrame (wall) | Kaon / RDataFrame (loop) |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for graph, m in rows:
        for name in ["Kaon", "RDataFrame"]:
            r = m[name]
            ratio_wall = m["RDataFrame"]["wall"] / m["Kaon"]["wall"]
            ratio_loop = m["RDataFrame"]["loop"] / m["Kaon"]["loop"]
            lines.append(f"| {graph} | {name} | {r['entries'] / r['wall']:,.0f} | {r['entries'] / r['loop']:,.0f} | {r['rss']:.0f} | "
                         + (f"{ratio_wall:.2f}× | {ratio_loop:.2f}× |" if name == "Kaon" else "1 | 1 |"))
    demo = measure_demo(args) if args.baseline else None
    if args.baseline:
        lines += ["", f"Event loop before/after ({args.baseline_label} → this build), measured in the same session:", "",
                  f"| graph | events/s ({args.baseline_label}) | events/s (now) | speed-up | {args.baseline_label} / RDataFrame | now / RDataFrame |",
                  "|---|---:|---:|---:|---:|---:|"]
        for graph, m in rows:
            before, now, rdf = m["Kaon (baseline)"], m["Kaon"], m["RDataFrame"]
            lines.append(f"| {graph} | {before['entries'] / before['loop']:,.0f} | {now['entries'] / now['loop']:,.0f} | "
                         f"{before['loop'] / now['loop']:.2f}× | {rdf['loop'] / before['loop']:.2f}× | {rdf['loop'] / now['loop']:.2f}× |")
    if demo:
        events, before, now = demo
        lines += ["", f"`kaon demo`'s analysis (`kaon run samples.yml --analysis dimuon --threads 1`: {events:,} toy events, "
                  "the graph walked 3× per event for the jes variation; process wall time, results compared byte for byte):", "",
                  f"| {args.baseline_label} (s) | now (s) | speed-up |", "|---:|---:|---:|",
                  f"| {before:.2f} | {now:.2f} | {before / now:.2f}× |"]
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
