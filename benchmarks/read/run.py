#!/usr/bin/env python3
"""Read benchmark: Kaon vs raw decompression vs uproot vs ROOT RDataFrame.

Reads every branch of a generated NanoAOD-style `Events` tree (86 branches, default
1M events) compressed with zstd:5 and with lzma:9, and prints one Markdown table per
file. Run it with the peers venv's Python (`make bench` does):

    python benchmarks/read/run.py --kaon .build/release/kaon --shared ../shared
    python benchmarks/read/run.py ... --events 20000 --repeat 1      # a quick run

Every measurement is a fresh process; the table reports the median over --repeat runs
and the peak RSS of the process. See benchmarks/README.md for what each row means.
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
from dataclasses import dataclass, field
from typing import Callable

import workers

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import MB, BenchmarkError, ensure_sample, run_process, sample_path  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
TREE = "Events"

# The targets the benchmark checks.
UPROOT_SPEEDUP_TARGET = 3.0  # Kaon 1-thread throughput per core >= 3x uproot (library="ak")
DECOMPRESS_RATIO_TARGET = 1.5  # Kaon 1-thread time <= 1.5x Kaon's --decompress-only time
MEMORY_TARGET_MB = 100.0  # `kaon scan -b Muon_pt` peak RSS


# ---------------------------------------------------------------------------------------
# Running one measurement


def last_json_line(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise BenchmarkError(f"no JSON result in output:\n{text[-2000:]}")


@dataclass
class Sample:
    """What one run of a configuration measured."""
    wall: float
    inprocess: float  # the tool's own timer (see Config.basis)
    rss_mb: float
    threads: int
    notes: dict = field(default_factory=dict)


@dataclass
class Config:
    """One row of the table: how to run it and how to read its output."""
    key: str  # identifies the row for the targets: "kaon", "kaon-decompress", "uproot-ak", ...
    label: str
    threads: int
    basis: str  # "wall": throughput from the process wall time; "in-process": from the tool's timer
    command: Callable[[str], list[str]]
    parse: Callable[[Process], Sample]
    what: str  # short description of the timed section, for the table's last column


def kaon_config(kaon: str, key: str, threads: int, options: list[str], what: str) -> Config:
    def command(path: str) -> list[str]:
        return [kaon, "scan", f"{path}:{TREE}", "--json", "--threads", str(threads), *options]

    def parse(proc: Process) -> Sample:
        result = last_json_line(proc.stdout)
        missing = {"entries", "uncompressed_bytes", "seconds", "threads"} - result.keys()
        if missing:
            raise BenchmarkError(f"kaon scan --json output lacks {sorted(missing)}: {result}")
        return Sample(proc.wall, float(result["seconds"]), proc.rss_mb, int(result["threads"]), notes=result)

    label = f"Kaon `{' '.join(['scan', *options])}`"
    return Config(key, label, threads, "wall", command, parse, f"whole process: {what}")


def python_config(key: str, label: str, worker_args: list[str], threads: int, what: str) -> Config:
    def command(path: str) -> list[str]:
        kind, *rest = worker_args
        return [sys.executable, os.path.join(HERE, "workers.py"), kind, path, TREE, *rest]

    def parse(proc: Process) -> Sample:
        result = last_json_line(proc.stdout)
        return Sample(proc.wall, float(result["seconds"]), proc.rss_mb, threads, notes=result)

    return Config(key, label, threads, "in-process", command, parse, what)


RDF_JIT = re.compile(r"Just-in-time compilation phase completed in ([\d.]+) seconds")
RDF_LOOP = re.compile(r"Finished event loop number \d+ \(([\d.]+)s CPU, ([\d.]+)s elapsed\)")


def rdf_config(threads: int) -> Config:
    def parse(proc: Process) -> Sample:
        result = last_json_line(proc.stdout)
        loop = RDF_LOOP.search(proc.stderr)
        if not loop:
            raise BenchmarkError("RDataFrame did not log its event loop time; stderr:\n" + proc.stderr[-2000:])
        jit = RDF_JIT.search(proc.stderr)
        notes = {**result, "jit_seconds": float(jit.group(1)) if jit else 0.0}
        return Sample(proc.wall, float(loop.group(2)), proc.rss_mb, threads, notes=notes)

    config = python_config("rdf", "ROOT RDataFrame", ["rdf", str(threads)], threads,
                           "event loop only (RDF's log), JIT excluded")
    config.parse = parse
    return config


def configurations(kaon: str | None, with_numpy: bool) -> list[Config]:
    rows = []
    if kaon:
        rows += [
            kaon_config(kaon, "kaon", 1, [], "read + interpret all branches"),
            kaon_config(kaon, "kaon", 2, [], "read + interpret all branches"),
            kaon_config(kaon, "kaon-decompress", 1, ["--decompress-only"], "read + decompress all baskets"),
        ]
    rows += [
        python_config("python-decompress", "Python decompression (cross-check)", ["decompress"], 1,
                      "pread + decompress baskets (cramjam zstd, stdlib lzma)"),
        python_config("uproot-ak", 'uproot `arrays(library="ak")`', ["uproot", "ak"], 1, "open + arrays()"),
        rdf_config(1),
        rdf_config(2),
    ]
    if with_numpy:  # ~9 GB and a minute per run at 1M events: only on request
        rows.append(python_config("uproot-np", 'uproot `arrays(library="np")`', ["uproot", "np"], 1, "open + arrays()"))
    return rows


def memory_config(kaon: str) -> Config:
    return kaon_config(kaon, "kaon-memory", 1, ["-b", "Muon_pt"], "read + interpret one branch")


# ---------------------------------------------------------------------------------------
# Samples


def warm_page_cache(path: str) -> None:
    """Read the file once, so that every measurement starts with it in the page cache."""
    with open(path, "rb", buffering=0) as f:
        while f.read(1 << 24):
            pass


# ---------------------------------------------------------------------------------------
# Kaon


def check_kaon(kaon: str) -> None:
    """Fail early and clearly if the binary is missing or has no usable `scan` subcommand."""
    if not (os.path.isfile(kaon) and os.access(kaon, os.X_OK)):
        raise BenchmarkError(f"kaon binary not found or not executable: {kaon} (run `make build`)")
    proc = subprocess.run([kaon, "scan", "--help"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchmarkError(f"{kaon} has no `scan` subcommand (`kaon scan --help` exited with "
                             f"{proc.returncode}):\n{(proc.stderr or proc.stdout).strip()}")
    missing = [flag for flag in ("--json", "--threads", "--decompress-only", "-b")
               if not re.search(rf"(^|[\s,]){flag}\b", proc.stdout)]
    if missing:
        raise BenchmarkError(f"`kaon scan` lacks option(s) {', '.join(missing)}; `kaon scan --help` says:\n{proc.stdout}")


def kaon_version(kaon: str) -> str:
    proc = subprocess.run([kaon, "--version"], capture_output=True, text=True)
    return proc.stdout.strip() or "?"


# ---------------------------------------------------------------------------------------
# Measuring and reporting


@dataclass
class Row:
    config: Config
    samples: list[Sample]

    @property
    def threads(self) -> int:
        return self.samples[0].threads

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)

    @property
    def seconds(self) -> float:
        """The time the throughput is computed from."""
        return self.median("wall" if self.config.basis == "wall" else "inprocess")

    def mb_per_s_per_core(self, uncompressed: int) -> float:
        return uncompressed / MB / self.seconds / self.threads

    @property
    def peak_rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)


def measure(configs: list[Config], path: str, repeat: int, tag: str) -> list[Row]:
    """Run every configuration `repeat` times, round-robin, each in a fresh process."""
    rows = [Row(c, []) for c in configs]
    for rep in range(1, repeat + 1):
        for row in rows:
            proc = run_process(row.config.command(path))
            sample = row.config.parse(proc)
            row.samples.append(sample)
            log(f"[{tag}] run {rep}/{repeat}  {row.config.label}, {sample.threads} thread(s): "
                f"wall {sample.wall:.3f} s, in-process {sample.inprocess:.3f} s, peak RSS {sample.rss_mb:.0f} MB")
    return rows


def find(rows: list[Row], key: str, threads: int = 1) -> Row | None:
    return next((r for r in rows if r.config.key == key and r.config.threads == threads), None)


def check_consistency(rows: list[Row], inventory: workers.Inventory) -> list[str]:
    """Cross-check what each tool says it read (first run) against the basket inventory."""
    warnings = []
    for row in rows:
        said, label = row.samples[0].notes, row.config.label
        if "entries" in said and int(said["entries"]) != inventory.entries:
            warnings.append(f"{label} read {said['entries']} entries, the tree has {inventory.entries}")
        columns = said.get("branches", said.get("columns"))
        if columns is not None and int(columns) != inventory.branches:
            warnings.append(f"{label} read {columns} branches, the tree has {inventory.branches}")
        if "uncompressed_bytes" in said and int(said["uncompressed_bytes"]) != inventory.uncompressed_bytes:
            warnings.append(f"{label} reports {said['uncompressed_bytes']} uncompressed bytes, "
                            f"the basket keys sum to {inventory.uncompressed_bytes}")
    if inventory.embedded_baskets:
        warnings.append(f"{inventory.embedded_baskets} baskets stored inside the TTree are not counted")
    return warnings


def fmt(x: float, digits: int = 2) -> str:
    return f"{x:,.{digits}f}"


def in_process_note(row: Row) -> str:
    notes = row.samples[0].notes
    if "jit_seconds" in notes:
        return f"{row.config.what}; JIT {fmt(statistics.median(s.notes['jit_seconds'] for s in row.samples))} s"
    return row.config.what


def table(rows: list[Row], uncompressed: int) -> list[str]:
    kaon1 = find(rows, "kaon")
    lines = ["| tool / config | threads | median s | MB/s per core | Kaon 1T × | peak RSS MB "
             "| wall s | in-process s | timed |",
             "|---|--:|--:|--:|--:|--:|--:|--:|---|"]
    for r in rows:
        rate = r.mb_per_s_per_core(uncompressed)
        ratio = fmt(kaon1.mb_per_s_per_core(uncompressed) / rate) if kaon1 else "–"
        lines.append(f"| {r.config.label} | {r.threads} | {fmt(r.seconds, 3)} | {fmt(rate, 1)} | {ratio} "
                     f"| {fmt(r.peak_rss_mb, 0)} | {fmt(r.median('wall'), 3)} | {fmt(r.median('inprocess'), 3)} "
                     f"| {in_process_note(r)} |")
    return lines


def verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**MISS**"


def targets(rows: list[Row], uncompressed: int, memory: Row | None) -> list[str]:
    kaon1, uproot, floor = find(rows, "kaon"), find(rows, "uproot-ak"), find(rows, "kaon-decompress")
    if kaon1 is None:
        return ["Targets: not evaluated (Kaon was not measured)."]
    speedup = kaon1.mb_per_s_per_core(uncompressed) / uproot.mb_per_s_per_core(uncompressed)
    ratio = kaon1.seconds / floor.seconds
    lines = [
        f"- Kaon ≥ {UPROOT_SPEEDUP_TARGET:g}× uproot (ak) throughput per core: "
        f"{fmt(kaon1.mb_per_s_per_core(uncompressed), 1)} vs {fmt(uproot.mb_per_s_per_core(uncompressed), 1)} MB/s "
        f"= {fmt(speedup)}× → {verdict(speedup >= UPROOT_SPEEDUP_TARGET)}",
        f"- Kaon within {DECOMPRESS_RATIO_TARGET:g}× of the raw decompression time: "
        f"{fmt(kaon1.seconds, 3)} s vs {fmt(floor.seconds, 3)} s (`--decompress-only`) "
        f"= {fmt(ratio)}× → {verdict(ratio <= DECOMPRESS_RATIO_TARGET)}",
    ]
    if memory is not None:
        lines.append(f"- `kaon scan -b Muon_pt` peak RSS < {MEMORY_TARGET_MB:g} MB: "
                     f"{fmt(memory.peak_rss_mb, 1)} MB → {verdict(memory.peak_rss_mb < MEMORY_TARGET_MB)}")
    return lines


def environment(kaon: str | None, args) -> list[str]:
    import awkward
    import uproot
    root_version = subprocess.run([sys.executable, "-c", "import ROOT; print(ROOT.gROOT.GetVersion())"],
                                  capture_output=True, text=True).stdout.strip() or "?"
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return [
        f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}; host: {platform.node()}, "
        f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}; "
        f"load average at start {', '.join(f'{x:.2f}' for x in os.getloadavg())} (other work skews the times)",
        f"- kaon: {kaon_version(kaon) if kaon else 'not measured'}; uproot {uproot.__version__}, "
        f"awkward {awkward.__version__}, ROOT {root_version}, Python {platform.python_version()}",
        f"- {args.events:,} events, median of {args.repeat} run(s) per row, every run a fresh process, "
        f"files in the page cache (warm), MB = 10^6 bytes",
    ]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kaon", default=os.path.join(REPO, ".build", "release", "kaon"), help="the kaon binary")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"),
                    help="the shared directory (for tools/make_adl_sample.py)")
    ap.add_argument("--events", type=int, default=1_000_000, help="events in the generated samples")
    ap.add_argument("--repeat", type=int, default=3, help="runs per row; the table shows the median")
    ap.add_argument("--compression", action="append", choices=["zstd:5", "lzma:9"],
                    help="which sample(s) to read (repeatable; default both)")
    ap.add_argument("--data-dir", default=os.path.join(BENCH, "data"), help="where samples are generated and cached")
    ap.add_argument("--results-dir", default=os.path.join(BENCH, "results"), help="where the report is written")
    ap.add_argument("--with-numpy", action="store_true",
                    help='also measure uproot arrays(library="np") (slow: ~9 GB, ~1 min per run at 1M events)')
    ap.add_argument("--no-kaon", action="store_true",
                    help="measure only the peers (for working on the benchmark itself); no targets are evaluated")
    args = ap.parse_args(argv)
    if args.repeat < 1 or args.events < 1:
        ap.error("--repeat and --events must be positive")
    args.compression = args.compression or ["zstd:5", "lzma:9"]
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    kaon = None if args.no_kaon else os.path.abspath(args.kaon)
    if kaon:
        check_kaon(kaon)
    configs = configurations(kaon, args.with_numpy)

    report = ["# Read benchmark: every branch of a NanoAOD-style `Events` tree", ""]
    report += environment(kaon, args)
    for compression in args.compression:
        path = ensure_sample(args.shared, args.data_dir, args.events, compression)
        log(f"[{compression}] inventory of {os.path.relpath(path)}")
        inventory = workers.basket_inventory(path, TREE)
        warm_page_cache(path)
        rows = measure(configs, path, args.repeat, compression)
        memory = None
        if kaon:
            memory = measure([memory_config(kaon)], path, args.repeat, compression)[0]
        uncompressed = inventory.uncompressed_bytes
        report += [
            "",
            f"## {compression}: `{os.path.basename(path)}`",
            "",
            f"{inventory.entries:,} events, {inventory.branches} branches, {len(inventory.baskets):,} baskets; "
            f"{fmt(os.path.getsize(path) / MB, 1)} MB file, {fmt(inventory.compressed_bytes / MB, 1)} MB compressed "
            f"→ **{fmt(uncompressed / MB, 1)} MB uncompressed** (the bytes every row reads).",
            "",
            *table(rows, uncompressed),
            "",
            *targets(rows, uncompressed, memory),
        ]
        report += [f"- warning: {w}" for w in check_consistency(rows, inventory)]

    report += ["", f"Load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}."]
    text = "\n".join(report) + "\n"
    print(text)
    os.makedirs(args.results_dir, exist_ok=True)
    out = os.path.join(args.results_dir, f"read-{datetime.date.today().isoformat()}.md")
    with open(out, "w") as f:
        f.write(text)
    log(f"wrote {os.path.relpath(out)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchmarkError as e:
        print(f"benchmark failed: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
