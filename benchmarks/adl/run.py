#!/usr/bin/env python3
"""ADL benchmark: `kaon adl` against a compiled ROOT RDataFrame and uproot + awkward + vector
on generated 1M-event samples with the schema of the CMS Run2012B SingleMu ADL dataset
(ZSTD-5 and LZMA-9), in the same run:

- each query alone and all eight in one pass, 1 and 2 threads, for Kaon and RDataFrame;
- uproot + awkward + vector, all eight;
- the decompression floor (`kaon scan --decompress-only` of the 20 branches the queries read)
  and decompression + decoding;
- peak RSS, also for Kaon over a 10-file chain (10M events);
- time to the first histogram (Q1) from the 1000-event real file in a fresh process.

Prints (and writes) Markdown tables of events/s with Kaon ÷ peer ratios, a PASS/FAIL line per
target of issue 6, and checks that every histogram of every tool is identical.

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
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BenchmarkError, ensure_sample, run_process, sample_arguments  # noqa: E402

QUERIES = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]
# The branches the eight queries read: the floor decompresses exactly these.
BRANCHES = ["MET_pt", "MET_phi", "nJet", "Jet_pt", "Jet_eta", "Jet_phi", "Jet_mass", "Jet_btag",
            "nMuon", "Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_charge",
            "nElectron", "Electron_pt", "Electron_eta", "Electron_phi", "Electron_mass", "Electron_charge"]


@dataclass
class Row:
    """One measured configuration: medians over the repeats, the largest peak RSS."""
    tool: str  # Kaon, RDataFrame, uproot, floor, floor+decode
    what: str  # all, q1 … q8, or a description for the floor rows
    threads: int
    compression: str
    events: int
    wall: float  # whole process, seconds
    loop: float  # the tool's own timing of its event loop, seconds
    cpu: float  # CPU seconds (all threads) of the event loop (process CPU where the tool cannot say)
    rss: float  # MB
    counts: dict = field(default_factory=dict)

    def rate(self, seconds):
        return self.events / seconds if seconds > 0 else float("nan")


def measure(cmd):
    try:
        return run_process(cmd)
    except BenchmarkError as error:
        sys.exit(str(error))


def median(values):
    return statistics.median(values)


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


def kaon_counts(text):
    """Per histogram, the values of `kaon adl --json`'s UHI dictionary."""
    return {k: v["storage"]["values"] for k, v in json.loads(text).items()}


def human_seconds(text):
    """Seconds from a time as `kaon` prints it for people: "907 ms", "1.23 s", "2.50 min"."""
    number, unit = text.split()
    return float(number) * {"ns": 1e-9, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0}[unit]


class Bench:
    def __init__(self, args, tmp):
        self.args, self.tmp, self.rows = args, tmp, []

    def log(self, row):
        print(f"{row.compression:7s} {row.tool:12s} {row.what:40s} {row.threads}  loop {row.loop:7.3f} s  "
              f"cpu {row.cpu:7.3f} s  wall {row.wall:7.3f} s  rss {row.rss:5.0f} MB", file=sys.stderr, flush=True)

    def kaon(self, files, compression, query, threads, repeat=None, events=None, what=None):
        cmd = [self.args.kaon, "adl", *files, "--query", query, "--threads", str(threads), "--json"]
        runs = [measure(cmd) for _ in range(repeat or self.args.repeat)]
        # kaon's own timing of the run (files opened to histograms merged) and its CPU time,
        # as printed for people (3 significant digits, finer than the machine's noise); with
        # --json they are on standard error, the histograms on standard output.
        loop = [human_seconds(re.search(r"events in ([0-9.e+-]+ \S+)", r.stderr).group(1)) for r in runs]
        cpu = [human_seconds(re.search(r"CPU ([0-9.e+-]+ \S+)", r.stderr).group(1)) for r in runs]
        row = Row("Kaon", what or query, threads, compression, events or self.args.events, median(r.wall for r in runs),
                  median(loop), median(cpu), max(r.rss_mb for r in runs), kaon_counts(runs[-1].stdout))
        self.rows.append(row)
        self.log(row)
        return row

    def peer(self, tool, cmd, compression, what, threads):
        runs = [measure(cmd) for _ in range(self.args.repeat)]
        results = [json.loads(r.stdout.strip().splitlines()[-1]) for r in runs]
        row = Row(tool, what, threads, compression, self.args.events, median(r.wall for r in runs),
                  median(x["seconds"] for x in results), median(x["cpu_seconds"] for x in results),
                  max(r.rss_mb for r in runs), results[-1]["counts"])
        self.rows.append(row)
        self.log(row)
        return row

    def floor(self, sample, compression, decode):
        cmd = [self.args.kaon, "scan", f"{sample}:Events", *[a for b in BRANCHES for a in ("-b", b)], "--json"]
        if not decode:
            cmd.append("--decompress-only")
        runs = [measure(cmd) for _ in range(self.args.repeat)]
        results = [json.loads(r.stdout.strip().splitlines()[-1]) for r in runs]
        # kaon scan reports its wall time; its CPU time is the process's (start-up is ~10 ms).
        row = Row("floor+decode" if decode else "floor", "decompress + decode" if decode else "decompress only", 1,
                  compression, self.args.events, median(r.wall for r in runs), median(x["seconds"] for x in results),
                  median(r.cpu for r in runs), max(r.rss_mb for r in runs))
        self.rows.append(row)
        self.log(row)
        return row

    def find(self, tool, what, threads, compression):
        return next((r for r in self.rows if (r.tool, r.what, r.threads, r.compression) == (tool, what, threads, compression)), None)


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "–"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sample_arguments(ap, REPO, "runs per row; the median time is shown")
    ap.add_argument("--no-uproot", action="store_true", help="skip the (slow) uproot rows")
    ap.add_argument("--no-rdf", action="store_true", help="skip the compiled RDataFrame rows")
    ap.add_argument("--no-lzma", action="store_true", help="skip the LZMA-9 rows")
    ap.add_argument("--chain", type=int, default=10, help="files in the chain of the large-input RSS row (0: skip)")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    args = ap.parse_args(argv)

    samples = {"zstd:5": ensure_sample(args.shared, args.data_dir, args.events, "zstd:5")}
    if not args.no_lzma:
        samples["lzma:9"] = ensure_sample(args.shared, args.data_dir, args.events, "lzma:9")
    for sample in samples.values():  # page cache: measure CPU, not the disk
        with open(sample, "rb", buffering=0) as f:
            while f.read(1 << 24):
                pass
    load_start = os.getloadavg()
    tmp = tempfile.mkdtemp(prefix="kaon-adl-bench-")
    bench = Bench(args, tmp)
    rdf = None if args.no_rdf else build_rdf(args)

    # --- throughput, per compression ---
    for compression, sample in samples.items():
        full = compression == "zstd:5"  # every query alone on the main sample; all 8 on both
        bench.floor(sample, compression, decode=False)
        bench.floor(sample, compression, decode=True)
        for what in ["all", *(QUERIES if full else [])]:
            for threads in (1, 2):
                bench.kaon([sample], compression, what, threads)
                if rdf:
                    bench.peer("RDataFrame", [rdf, sample, "root-project", str(threads), what], compression, what, threads)
        if not args.no_uproot:
            bench.peer("uproot", [sys.executable, os.path.join(HERE, "uproot_adl.py"), sample], compression, "all", 1)

    # --- peak RSS over a 10× larger input (a chain of links to the same file) ---
    chain_rows = []
    if args.chain > 0:
        links = []
        for i in range(args.chain):
            link = os.path.join(tmp, f"part-{i:02d}.root")
            os.symlink(samples["zstd:5"], link)
            links.append(link)
        for threads in (1, 2):
            chain_rows.append(bench.kaon(links, "zstd:5", "all", threads, repeat=1, events=args.chain * args.events,
                                         what=f"all ({args.chain} files)"))

    # --- time to the first histogram, fresh process, 1000 real events ---
    real = os.path.join(args.shared, "data", "adl", "Run2012B_SingleMu_1000.root")
    first = {}
    if os.path.exists(real):
        cold = [args.kaon, "adl", real, "--query", "q1", "--binning", "paper", "--json"]
        runs = [measure(cold) for _ in range(max(args.repeat, 5))]
        first["Kaon (`kaon adl --query q1`)"] = (median(r.wall for r in runs), kaon_counts(runs[-1].stdout)["q1"])
        for tool, label in (("uproot", "uproot (import, open, read, fill)"),
                            ("rdataframe", "PyROOT RDataFrame (import ROOT, Histo1D)")):
            if tool == "rdataframe" and args.no_rdf or tool == "uproot" and args.no_uproot:
                continue
            runs = [measure([sys.executable, os.path.join(HERE, "first_histogram.py"), tool, real]) for _ in range(args.repeat)]
            first[label] = (median(r.wall for r in runs), json.loads(runs[-1].stdout.strip().splitlines()[-1])["q1"])

    # --- every tool must have produced the same histograms ---
    mismatches = []
    for row in bench.rows:
        reference = bench.find("Kaon", "all", 1, row.compression)
        factor = row.events // args.events  # the chain reads the same file `factor` times
        for key, values in row.counts.items():
            if reference and values != [factor * v for v in reference.counts[key]]:
                mismatches.append(f"{row.tool} {row.what} ({row.compression}, {row.threads} threads): {key}")
    first_counts = [c for _, c in first.values()]
    if any(c != first_counts[0] for c in first_counts):
        mismatches.append("first histogram (Q1) differs between tools")

    # --- tables ---
    lines = []
    for compression in samples:
        lines += [f"### {compression.upper().replace(':', '-')} ({args.events:,} events)", "",
                  "| run | threads | events/s (loop) | events/s (CPU) | events/s (wall) | Kaon ÷ RDF (loop) | Kaon ÷ RDF (CPU) "
                  "| Kaon ÷ uproot (loop) | Kaon ÷ uproot (CPU) | peak RSS (MB) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in bench.rows:
            if row.compression != compression or row.events != args.events:
                continue
            rdf_row = bench.find("RDataFrame", row.what, row.threads, compression) if row.tool == "Kaon" else None
            up_row = bench.find("uproot", "all", 1, compression) if row.tool == "Kaon" and row.what == "all" else None
            label = {"Kaon": f"Kaon, {'all 8 in one pass' if row.what == 'all' else row.what + ' alone'}",
                     "RDataFrame": f"RDataFrame compiled, {'all 8 in one loop' if row.what == 'all' else row.what + ' alone'}",
                     "uproot": "uproot + awkward + vector, all 8",
                     "floor": "floor: decompress the 20 branches (`kaon scan --decompress-only`)",
                     "floor+decode": "decompress + decode the 20 branches (`kaon scan`)"}[row.tool]
            lines.append(
                f"| {label} | {row.threads} | {row.rate(row.loop):,.0f} | {row.rate(row.cpu):,.0f} | {row.rate(row.wall):,.0f} "
                f"| {ratio(rdf_row and rdf_row.loop, row.loop)} | {ratio(rdf_row and rdf_row.cpu, row.cpu)} "
                f"| {ratio(up_row and up_row.loop, row.loop)} | {ratio(up_row and up_row.cpu, row.cpu)} | {row.rss:.0f} |")
        lines.append("")

    # --- the targets ---
    verdicts = []

    def target(name, ok, detail):
        verdicts.append(f"| {name} | {detail} | {'PASS' if ok else 'FAIL'} |")

    z = "zstd:5"
    k1, k2 = bench.find("Kaon", "all", 1, z), bench.find("Kaon", "all", 2, z)
    r1 = bench.find("RDataFrame", "all", 1, z)
    up = bench.find("uproot", "all", 1, z)
    if r1:
        for what in QUERIES:
            k, r = bench.find("Kaon", what, 1, z), bench.find("RDataFrame", what, 1, z)
            if k and r:
                target(f"{what} alone ≥ 2× RDataFrame (1 thread)", r.cpu / k.cpu >= 2 and r.loop / k.loop >= 2,
                       f"CPU {r.cpu / k.cpu:.1f}×, loop {r.loop / k.loop:.1f}×")
        target("all 8 ≥ 3× RDataFrame (1 thread)", r1.cpu / k1.cpu >= 3 and r1.loop / k1.loop >= 3,
               f"CPU {r1.cpu / k1.cpu:.2f}×, loop {r1.loop / k1.loop:.2f}×")
    if up:
        target("all 8 ≥ 20× uproot + awkward", up.cpu / k1.cpu >= 20 and up.loop / k1.loop >= 20,
               f"CPU {up.cpu / k1.cpu:.1f}×, loop {up.loop / k1.loop:.1f}×")
    for what in ["all", *QUERIES]:
        a, b = bench.find("Kaon", what, 1, z), bench.find("Kaon", what, 2, z)
        if a and b:
            target(f"Kaon {what}: 2 threads ≥ 1.8× 1 thread", a.loop / b.loop >= 1.8,
                   f"{a.loop / b.loop:.2f}× (loop wall); CPU time 2 vs 1 thread {b.cpu / a.cpu:.2f}")
    for compression, limit in (("zstd:5", 3.0), ("lzma:9", 1.5)):
        k, f = bench.find("Kaon", "all", 1, compression), bench.find("floor", "decompress only", 1, compression)
        if k and f:
            target(f"all 8 within {limit}× the {compression} decompression floor", k.cpu / f.cpu <= limit and k.loop / f.loop <= limit,
                   f"CPU {k.cpu / f.cpu:.2f}×, loop {k.loop / f.loop:.2f}×")
    kaon_rss = max(r.rss for r in bench.rows if r.tool == "Kaon")
    detail = f"largest {kaon_rss:.0f} MB"
    same = True
    for row in chain_rows:
        small = bench.find("Kaon", "all", row.threads, z)
        detail += f"; {row.threads} thread(s): {small.rss:.0f} MB at 1M, {row.rss:.0f} MB at {row.events // 1_000_000}M"
        same = same and row.rss <= small.rss * 1.15 + 10
    target("peak RSS ≤ 300 MB, the same at 1M and 10M", kaon_rss <= 300 and same and bool(chain_rows), detail)
    kaon_first = next((v for k, v in first.items() if k.startswith("Kaon")), None)
    if kaon_first:
        target("first histogram (Q1, 1000 real events, fresh process) ≤ 0.1 s", kaon_first[0] <= 0.1, f"{kaon_first[0]:.3f} s")

    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    cpu_name = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    report = [
        "# ADL benchmark results", "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {cpu_name}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}; "
        f"load average {load_start[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end (the machine is shared)",
        f"- commit: {commit}{' (with uncommitted changes)' if dirty else ''}",
        f"- input: {', '.join(os.path.basename(s) for s in samples.values())} ({args.events:,} events each, written by ROOT "
        f"via make_adl_sample.py); Q1 cold start: Run2012B_SingleMu_1000.root",
        f"- command: `python {os.path.relpath(__file__, REPO)} {' '.join(argv)}` (median of {args.repeat} runs per row)",
        f"- histograms identical across all rows: {'yes' if not mismatches else 'NO: ' + ', '.join(mismatches)}",
        "",
        "events/s (loop): events / the tool's own timing of its event loop (Kaon: files opened to",
        "histograms merged; RDataFrame: the event loop after booking; uproot: first read to last fill;",
        "floor: `kaon scan`'s time). events/s (CPU): events / CPU seconds (all threads) of that loop —",
        "on a busy shared machine the most reproducible measure of the work done (for `kaon scan`,",
        "of the whole process). events/s (wall): events / wall time of the whole process, start-up",
        "included (ROOT's is seconds). Kaon ÷ peer: the peer's time over Kaon's (> 1: Kaon faster).",
        "",
        *lines,
    ]
    if chain_rows:
        report += ["### Peak RSS, 1M vs a chain of 10 × 1M events (ZSTD-5)", "",
                   "| run | threads | events | events/s (loop) | peak RSS (MB) |", "|---|---:|---:|---:|---:|"]
        for row in chain_rows:
            small = bench.find("Kaon", "all", row.threads, z)
            report.append(f"| Kaon, all 8, 1 file | {row.threads} | {small.events:,} | {small.rate(small.loop):,.0f} | {small.rss:.0f} |")
            report.append(f"| Kaon, all 8, {args.chain} files | {row.threads} | {row.events:,} | {row.rate(row.loop):,.0f} | {row.rss:.0f} |")
        report.append("")
    if first:
        report += ["### Time to the first histogram (Q1, 1000 real events, fresh process)", "",
                   "| tool | wall (s) | Kaon ÷ tool |", "|---|---:|---:|"]
        for label, (seconds, _) in first.items():
            report.append(f"| {label} | {seconds:.3f} | {ratio(seconds, kaon_first[0])} |")
        report.append("")
    report += ["### Targets (issue 6)", "", "| target | measured | verdict |", "|---|---|---|", *verdicts, ""]
    text = "\n".join(report)
    print(text)
    with open(args.out, "w") as f:
        f.write(text)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
