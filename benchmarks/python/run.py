#!/usr/bin/env python3
"""Python-package benchmark: `kaon.open(...)["Events"].arrays()` against uproot's.

Reads all 86 branches of the generated 1M-event NanoAOD-style sample (ZSTD level 5) with
`library="ak"` and `library="np"`, Kaon on 1 and 2 decompression threads, uproot as it
comes, and times `import` + open + one filled `hist.Hist` of the published 1000-event file
in a cold interpreter (a flat branch through NumPy, a jagged one through awkward). Run it with the peers venv's Python, after `pip install ./python`
(`make bench-python` does both):

    python benchmarks/python/run.py --shared ../shared
    python benchmarks/python/run.py --shared ../shared --events 100000 --repeat 1  # quick

Every measurement is a fresh interpreter; the table shows the median of --repeat runs of
the in-interpreter time of the `arrays()` call, the process's CPU time and its peak RSS.
Ratios are against uproot measured in the same run. Exit status 0 when everything was
measured, whether or not the targets are met.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
from common import BenchmarkError, ensure_sample, run_process  # noqa: E402

# Issue 15's targets.
SPEEDUP_ONE_THREAD = 2.5  # arrays() time, Kaon on 1 thread vs uproot
SPEEDUP_TWO_THREADS = 4.0  # Kaon with 2 decompression threads vs uproot
RSS_RATIO = 0.6  # Kaon's peak RSS / uproot's


def measure(job: list[str], repeat: int) -> dict:
    """Medians over `repeat` fresh interpreters of the job's own time, CPU and peak RSS."""
    runs = []
    for _ in range(repeat):
        process = run_process([sys.executable, os.path.join(HERE, "worker.py"), *job])
        result = json.loads(process.stdout.strip().splitlines()[-1])
        runs.append((result["seconds"], process.cpu, process.rss_mb, result))
    return {
        "seconds": statistics.median(r[0] for r in runs),
        "cpu": statistics.median(r[1] for r in runs),
        "rss_mb": statistics.median(r[2] for r in runs),
        "result": runs[0][3],
    }


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(REPO, "..", "shared"), help="the shared data checkout")
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the generated sample")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row (median)")
    parser.add_argument("--data-dir", default=os.path.join(BENCH, "data"))
    parser.add_argument("--libraries", default="ak,np", help="comma-separated: ak, np (np builds one array per entry "
                                                             "per jagged branch, as uproot does: minutes)")
    args = parser.parse_args()
    try:
        import kaon  # noqa: F401
    except ImportError as error:
        raise SystemExit(f"run.py: the kaon package is not importable ({error}); `pip install ./python` first")

    sample = ensure_sample(args.shared, args.data_dir, args.events, "zstd:5")
    small = os.path.join(args.shared, "data", "adl", "Run2012B_SingleMu_1000.root")
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# Python package benchmark — {datetime.date.today()}, commit {commit}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"\nSample: {os.path.basename(sample)} ({args.events} events, all branches); medians of {args.repeat} runs.\n")
    print("| library | tool | threads | arrays() s | CPU s | peak RSS MB | speed-up vs uproot | RSS vs uproot |")
    print("|---|---|---|---|---|---|---|---|")
    verdicts = []
    for library in args.libraries.split(","):
        uproot = measure(["read", "uproot", library, "1", sample], args.repeat)
        rows = [("uproot", 1, uproot)]
        for threads in (1, 2):
            rows.append(("kaon", threads, measure(["read", "kaon", library, str(threads), sample], args.repeat)))
        for tool, threads, row in rows:
            if row["result"]["entries"] != uproot["result"]["entries"] or row["result"]["branches"] != uproot["result"]["branches"]:
                raise BenchmarkError(f"{tool} read {row['result']} but uproot read {uproot['result']}")
            speedup = uproot["seconds"] / row["seconds"]
            memory = row["rss_mb"] / uproot["rss_mb"]
            print(f"| {library} | {tool} | {threads} | {row['seconds']:.2f} | {row['cpu']:.2f} | {row['rss_mb']:.0f} | "
                  f"{speedup:.2f}× | {memory:.2f} |")
            if tool == "kaon":
                target = SPEEDUP_ONE_THREAD if threads == 1 else SPEEDUP_TWO_THREADS
                verdicts.append((f"{library}, {threads} thread(s): ≥ {target}× uproot", f"{speedup:.2f}×", speedup >= target))
                if threads == 1:
                    verdicts.append((f"{library}: peak RSS ≤ {RSS_RATIO}× uproot", f"{memory:.2f}×", memory <= RSS_RATIO))
    print("\nCold interpreter: `import` + open + one branch of the 1000-event file into a `hist.Hist` "
          "(flat: `MET_pt` as NumPy; jagged: `Jet_pt` as awkward, flattened):\n")
    print("| branch | tool | seconds | peak RSS MB |")
    print("|---|---|---|---|")
    for kind in ("flat", "jagged"):
        first = {tool: measure(["first-histogram", tool, kind, small], args.repeat) for tool in ("uproot", "kaon")}
        if first["kaon"]["result"]["sum"] != first["uproot"]["result"]["sum"]:
            raise BenchmarkError(f"first histograms differ: {first}")
        for tool, row in first.items():
            print(f"| {kind} | {tool} | {row['seconds']:.3f} | {row['rss_mb']:.0f} |")
        verdicts.append((f"first histogram ({kind}) faster than uproot's",
                         f"{first['kaon']['seconds']:.3f} s vs {first['uproot']['seconds']:.3f} s",
                         first["kaon"]["seconds"] < first["uproot"]["seconds"]))
    print("\n| target | measured | |")
    print("|---|---|---|")
    for name, measured, ok in verdicts:
        print(f"| {name} | {measured} | {verdict(ok)} |")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as error:
        print(f"run.py: {error}", file=sys.stderr)
        sys.exit(1)
