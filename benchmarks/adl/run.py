#!/usr/bin/env python3
"""ADL benchmark: `kaon adl` (each query alone, and all eight in one pass, on 1 and 2
threads) against uproot + awkward + vector and a compiled ROOT RDataFrame running all eight, on a 1M-event sample
with the schema of the CMS Run2012B SingleMu ADL dataset. Prints (and writes) a Markdown
table of events/s, ratios to uproot and peak RSS, and checks that every histogram of every
tool is identical.

ROOT RDataFrame (adl_rdf.cxx, compiled with g++ against the PyPI `root` package) runs the
same eight queries in one event loop as a second peer.

Usage: python benchmarks/adl/run.py [--kaon .build/release/kaon] [--events 1000000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BenchmarkError, ensure_sample, run_process  # noqa: E402
QUERIES = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]

def measure(cmd):
    """Runs cmd; returns (wall seconds, peak RSS in MB, stdout)."""
    try:
        process = run_process(cmd)
    except BenchmarkError as error:
        sys.exit(str(error))
    return process.wall, process.rss_mb, process.stdout


def build_rdf(args):
    """Compiles adl_rdf.cxx against the ROOT of the peers' Python (PyPI `root`); None if impossible."""
    try:
        import ROOT  # noqa: F401  (only to find the installation; nothing runs in this process)
    except ImportError:
        return None
    root = os.path.dirname(sys.modules["ROOT"].__file__)
    exe = os.path.join(args.data_dir, "adl_rdf")
    source = os.path.join(HERE, "adl_rdf.cxx")
    header = os.path.join(HERE, "adl_queries.h")
    if os.path.exists(exe) and os.path.getmtime(exe) > max(os.path.getmtime(source), os.path.getmtime(header)):
        return exe
    os.makedirs(args.data_dir, exist_ok=True)
    libs = ["Core", "Imt", "RIO", "Hist", "ROOTVecOps", "Tree", "TreePlayer", "MathCore", "ROOTDataFrame", "Thread"]
    # The PyPI build's libfreetype needs a libpng the linker does not see; nothing here uses it.
    cmd = ["g++", "-O2", "-std=c++17", "-pthread", f"-I{root}/include", source, f"-L{root}/lib",
           *[f"-l{lib}" for lib in libs], f"-Wl,-rpath,{root}/lib", "-Wl,--allow-shlib-undefined", "-o", exe]
    print("compiling adl_rdf …", file=sys.stderr)
    if subprocess.run(cmd).returncode != 0:
        return None
    return exe


def kaon_counts(path):
    with open(path) as f:
        return {k: v["storage"]["values"] for k, v in json.load(f).items()}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kaon", default=os.path.join(REPO, ".build", "release", "kaon"))
    ap.add_argument("--shared", default=os.path.join(REPO, "..", "shared"))
    ap.add_argument("--data-dir", default=os.path.join(REPO, "benchmarks", "data"))
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs per row; the median time is shown")
    ap.add_argument("--no-uproot", action="store_true", help="skip the (slow) uproot row")
    ap.add_argument("--no-rdf", action="store_true", help="skip the compiled RDataFrame rows")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    args = ap.parse_args(argv)

    sample = ensure_sample(args.shared, args.data_dir, args.events, "zstd:5")
    with open(sample, "rb", buffering=0) as f:  # page cache: measure CPU, not the disk
        while f.read(1 << 24):
            pass
    load_start = os.getloadavg()
    tmp = tempfile.mkdtemp(prefix="kaon-adl-bench-")
    rows = []  # (label, threads, events/s, rss, counts, in-process events/s)

    def kaon_row(label, query, threads):
        out = os.path.join(tmp, f"{query}-{threads}.json")
        cmd = [args.kaon, "adl", sample, "--query", query, "--threads", str(threads), "--json", out]
        runs = [measure(cmd) for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs)
        # kaon's own timing of the run (files opened to histograms merged), without start-up.
        loop = statistics.median(float(re.search(r"events in ([0-9.e+-]+) s", r[2]).group(1)) for r in runs)
        rows.append((label, threads, args.events / wall, max(r[1] for r in runs), kaon_counts(out), args.events / loop))
        print(f"{label:34s} {threads}  {args.events / wall:12.0f} events/s", file=sys.stderr)

    for threads in (1, 2):
        kaon_row("Kaon, all 8 queries in one pass", "all", threads)
    for q in QUERIES:
        for threads in (1, 2):
            kaon_row(f"Kaon, {q} alone", q, threads)
    rdf = None if args.no_rdf else build_rdf(args)
    for threads in ((1, 2) if rdf else ()):
        cmd = [rdf, sample, "root-project", str(threads)]
        runs = [measure(cmd) for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs)
        counts = json.loads(runs[-1][2].strip().splitlines()[-1])["counts"]
        loop = statistics.median(json.loads(r[2].strip().splitlines()[-1])["seconds"] for r in runs)
        rows.append(("ROOT RDataFrame compiled, all 8 in one loop", threads, args.events / wall, max(r[1] for r in runs), counts,
                     args.events / loop))
        print(f"RDataFrame {threads} {args.events / wall:.0f} events/s", file=sys.stderr)
    if not args.no_uproot:
        cmd = [sys.executable, os.path.join(HERE, "uproot_adl.py"), sample]
        runs = [measure(cmd) for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs)
        counts = json.loads(runs[-1][2].strip().splitlines()[-1])["counts"]
        loop = statistics.median(json.loads(r[2].strip().splitlines()[-1])["seconds"] for r in runs)
        rows.append(("uproot + awkward + vector, all 8", 1, args.events / wall, max(r[1] for r in runs), counts, args.events / loop))
        print(f"uproot {args.events / wall:.0f} events/s", file=sys.stderr)

    # Every tool must have produced the same histograms.
    reference = rows[0][4]
    mismatches = [f"{label} ({threads} threads): {key}" for label, threads, _, _, counts, _ in rows
                  for key, values in counts.items() if values != reference[key]]

    uproot_rate = next((r[2] for r in rows if r[0].startswith("uproot")), None)
    lines = ["| run | threads | events/s (wall) | × uproot+awkward (all 8) | events/s (in-process) | peak RSS (MB) |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, threads, rate, rss, _, loop in rows:
        ratio = f"{rate / uproot_rate:.1f}" if uproot_rate else "–"
        lines.append(f"| {label} | {threads} | {rate:,.0f} | {ratio} | {loop:,.0f} | {rss:.0f} |")
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    report = [
        "# ADL benchmark results", "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}; "
        f"load average {load_start[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end (the machine is shared)",
        f"- commit: {commit}{' (with uncommitted changes)' if dirty else ''}",
        f"- input: {os.path.basename(sample)} ({args.events:,} events, ZSTD-5, written by ROOT via make_adl_sample.py)",
        f"- command: `python {os.path.relpath(__file__, REPO)} {' '.join(argv)}` (median of {args.repeat} runs per row)",
        f"- histograms identical across all rows: {'yes' if not mismatches else 'NO: ' + ', '.join(mismatches)}",
        "",
        "events/s (wall): events / wall time of the whole process (start-up included: ROOT's is",
        "seconds); × uproot: ratio of the wall rates; events/s (in-process): events / the time the",
        "tool reports for its own run (Kaon: files opened to histograms merged; RDataFrame: its",
        "event loop, after booking; uproot: from the first read to the last fill).",
        "", *lines, "",
    ]
    text = "\n".join(report)
    print(text)
    with open(args.out, "w") as f:
        f.write(text)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
