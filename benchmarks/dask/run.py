#!/usr/bin/env python3
"""Dask benchmark (issue 17): Kaon on a real Dask cluster — a `dask scheduler` and separate
single-threaded `dask worker` processes on loopback — against Kaon's local multi-threaded run
and against coffea + Dask, on the same files and the same workers, in the same run:

- ADL all-8 (`kaon adl FILES --scheduler`) and the demo analysis (`kaon run samples.yml
  --analysis dimuon --scheduler`) on 1 and 2 workers (`dask worker --nthreads 1`);
- the same two jobs locally with `--threads 1` and `--threads 2`;
- the eight ADL queries with coffea (coffea_adl.py) on the same 1 and 2 workers;
- the scheduler's per-task overhead (no-op tasks, and the non-compute time of the Kaon runs
  from their task streams), and from it the expected speed-up at 100 and 1000 workers and the
  work-item size that keeps the overhead under 5 %.

Every histogram is checked: Dask outputs against the local run's (byte for byte), coffea's
counts against `kaon adl --json`'s (on the shared 1000-event file and on the whole input).

Prints a Markdown report and writes it to --out (benchmarks/dask/RESULTS.md).

Usage: python benchmarks/dask/run.py [--kaon .build/release/kaon] [--files 40 --events 250000]
       [--demo-scale 4.5 --demo-copies 7] [--repeat 3]
"""
from __future__ import annotations

import argparse
import datetime
import glob
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BenchmarkError, ensure_sample, run_process, sample_arguments  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "crosschecks", "peers"))
from dask_cluster import Cluster  # noqa: E402  (the tests' cluster: the same processes)

SMALL_ADL = "data/adl/Run2012B_SingleMu_1000.root"  # under --shared: the equality check's file
# "dask: 120 work items, 10000000 entries in 12.34 s on 2 worker(s): …" and, per worker,
# "  worker tcp://…: 60 work items, 5000000 entries, 11.80 s computing: …" (kaon.dask's report)
REPORT = re.compile(r"dask: (\d+) work items, (\d+) entries in ([0-9.]+) s on (\d+) worker")
WORKER = re.compile(r"worker \S+: (\d+) work items, (\d+) entries, ([0-9.]+) s computing")


@dataclass
class Row:
    job: str  # "ADL all-8" or "demo (dimuon)"
    tool: str  # "Kaon" or "coffea"
    where: str  # "local" or "dask"
    cores: int  # threads (local) or single-threaded workers (dask)
    events: int
    walls: list  # whole-process seconds, one per repeat
    items: int = 0  # Dask work items (tasks that read data)
    compute: float = 0.0  # seconds the workers spent computing work items (median run)
    inside: float = 0.0  # kaon.dask's own wall time of the run (median run)
    reports: list = field(default_factory=list)  # (wall, items, inside, compute) of every Dask run

    @property
    def wall(self):
        return statistics.median(self.walls)

    @property
    def rate(self):
        return self.events / self.wall




def measure(cmd):
    try:
        return run_process(cmd)
    except BenchmarkError as error:
        sys.exit(str(error))


def adl_counts(text):
    """Per histogram, the counts of `kaon adl --json`'s UHI dictionary."""
    return {key: value["storage"]["values"] for key, value in json.loads(text).items()}


def last_json(text):
    return json.loads(text.strip().splitlines()[-1])


# --- inputs -------------------------------------------------------------------------------

def adl_input(args, folder):
    """--files links to one generated sample of --events events (the same file, so the page
    cache holds it once and the benchmark measures CPU, not the disk)."""
    sample = ensure_sample(args.shared, args.data_dir, args.events, "zstd:5")
    os.makedirs(folder, exist_ok=True)
    links = []
    for index in range(args.files):
        link = os.path.join(folder, f"adl-{index:03d}.root")
        if not os.path.lexists(link):
            os.symlink(sample, link)
        links.append(link)
    return links


def demo_input(args, folder):
    """`kaon demo --scale S` once, then every file it wrote linked --demo-copies times under the
    same sample name pattern (NAME_k.root → NAME_k_cC.root), with the demo's samples file,
    whose globs (NAME_*.root) pick up all the links. Returns the samples file and its files."""
    source = os.path.join(args.data_dir, "dask", f"demo-scale{args.demo_scale:g}")
    if not os.path.exists(os.path.join(source, "data", "samples.yml")):
        print(f"generating the demo dataset at --scale {args.demo_scale:g}", file=sys.stderr, flush=True)
        partial = source + ".part"
        shutil.rmtree(partial, ignore_errors=True)
        measure([args.kaon, "demo", "--output", partial, "--scale", str(args.demo_scale), "--threads", "2"])
        shutil.rmtree(source, ignore_errors=True)
        os.replace(partial, source)
    os.makedirs(folder, exist_ok=True)
    files = []
    for path in sorted(glob.glob(os.path.join(source, "data", "*.root"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        for copy in range(args.demo_copies):
            link = os.path.join(folder, f"{stem}_c{copy:02d}.root")
            if not os.path.lexists(link):
                os.symlink(path, link)
            files.append(link)
    samples = os.path.join(folder, "samples.yml")
    shutil.copyfile(os.path.join(source, "data", "samples.yml"), samples)
    return samples, files


def entries(files):
    import uproot

    return sum(uproot.open(f"{path}:Events").num_entries for path in files)


def warm_page_cache(paths):
    for path in {os.path.realpath(p) for p in paths}:
        with open(path, "rb", buffering=0) as stream:
            while stream.read(1 << 24):
                pass


# --- the per-task overhead ------------------------------------------------------------------

def noop(index):
    return index


def noop_seconds_per_task(cluster, tasks):
    """Wall time per task of `tasks` no-op tasks submitted at once and gathered: the cost of
    one task through client, scheduler and worker when the work itself is nothing."""
    cluster.client.gather(cluster.client.map(noop, range(64), pure=False))  # warm: functions pickled, workers idle
    start = time.perf_counter()
    cluster.client.gather(cluster.client.map(noop, range(tasks), pure=False))
    return (time.perf_counter() - start) / tasks


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sample_arguments(ap, REPO, "runs per row; medians are shown")
    ap.set_defaults(events=250_000, data_dir=os.environ.get("KAON_BENCH_DATA", os.path.join(REPO, "benchmarks", "data")))
    ap.add_argument("--files", type=int, default=40, help="ADL input: links to the --events sample")
    ap.add_argument("--demo-scale", type=float, default=4.5, help="kaon demo --scale of the demo input (1 ≈ 320k events)")
    ap.add_argument("--demo-copies", type=int, default=7, help="links per demo file")
    ap.add_argument("--noop-tasks", type=int, default=2000)
    ap.add_argument("--no-coffea", action="store_true", help="skip the coffea + Dask rows")
    ap.add_argument("--label", default="", help="a line saying what this run is (e.g. a small-scale check)")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    args = ap.parse_args(argv)
    if not os.access(args.kaon, os.X_OK):
        sys.exit(f"kaon not found or not executable: {args.kaon} (build it, or pass --kaon)")
    small = os.path.join(args.shared, SMALL_ADL)
    if not os.path.exists(small):
        sys.exit(f"the equality check's file is missing: {small} (is --shared right?)")

    inputs = os.path.join(args.data_dir, "dask")
    adl_files = adl_input(args, os.path.join(inputs, f"adl-{args.events}x{args.files}"))
    samples, demo_files = demo_input(args, os.path.join(inputs, f"demo-scale{args.demo_scale:g}x{args.demo_copies}"))
    adl_events, demo_events = entries(adl_files), entries(demo_files)
    warm_page_cache(adl_files + demo_files)
    work = tempfile.mkdtemp(prefix="kaon-dask-bench-")
    load_start = os.getloadavg()
    print(f"ADL: {adl_events:,} events in {len(adl_files)} files; demo: {demo_events:,} events in {len(demo_files)} files; "
          f"load {load_start[0]:.1f}", file=sys.stderr, flush=True)

    rows, mismatches = {}, []
    coffea = [sys.executable, os.path.join(HERE, "coffea_adl.py")]

    def row(job, tool, where, cores, events):
        key = (job, tool, where, cores)
        if key not in rows:
            rows[key] = Row(job, tool, where, cores, events, [])
        return rows[key]

    def log(r):
        print(f"{r.job:14s} {r.tool:6s} {r.where:5s} {r.cores}  {r.walls[-1]:7.2f} s", file=sys.stderr, flush=True)

    def dask_report(r, text):
        """Work items, kaon.dask's wall time and the workers' compute time of one run; the
        row keeps those of its median run."""
        found = REPORT.search(text)
        if not found:
            sys.exit(f"no kaon.dask report in the output of {r.job} on {r.cores} worker(s):\n{text[-2000:]}")
        r.reports.append((r.walls[-1], int(found.group(1)), float(found.group(3)),
                          sum(float(m.group(3)) for m in WORKER.finditer(text))))
        _, r.items, r.inside, r.compute = sorted(r.reports)[(len(r.reports) - 1) // 2]

    def adl(cores, scheduler=None):
        cmd = [args.kaon, "adl", *adl_files, "--json"]
        cmd += ["--scheduler", scheduler] if scheduler else ["--threads", str(cores)]
        run = measure(cmd)
        r = row("ADL all-8", "Kaon", "dask" if scheduler else "local", cores, adl_events)
        r.walls.append(run.wall)
        if scheduler:
            dask_report(r, run.stderr)
        log(r)
        return run.stdout

    def demo(cores, scheduler=None):
        where = "dask" if scheduler else "local"
        out = os.path.join(work, f"demo-{where}-{cores}")
        cmd = [args.kaon, "run", samples, "--analysis", "dimuon", "-o", out]
        cmd += ["--scheduler", scheduler] if scheduler else ["--threads", str(cores)]
        run = measure(cmd)
        r = row("demo (dimuon)", "Kaon", where, cores, demo_events)
        r.walls.append(run.wall)
        if scheduler:
            dask_report(r, run.stdout)
        log(r)
        with open(os.path.join(out, "results.json"), "rb") as stream:
            return stream.read()

    def coffea_adl(cores, scheduler):
        run = measure([*coffea, *adl_files, "--scheduler", scheduler])
        r = row("ADL all-8", "coffea", "dask", cores, adl_events)
        r.walls.append(run.wall)
        log(r)
        return last_json(run.stdout)["counts"]

    reference_small = measure([args.kaon, "adl", small, "--json"]).stdout
    reference_adl = reference_demo = None

    # Per core count: start that many workers, then the local run on as many threads and the
    # Dask run on the workers alternate, repeat after repeat, so a change of the machine's load
    # during the benchmark hits both alike. (Idle workers cost nothing while the local run runs.)
    cluster = Cluster(work, client_timeout=120)
    overhead = {}
    fixed = None
    try:
        for count in (1, 2):
            cluster.add_workers(count, timeout=300)
            # Warm-up (libraries loaded on the workers) and the equality checks on the 1000 real events.
            small_kaon = measure([args.kaon, "adl", small, "--json", "--scheduler", cluster.address])
            if small_kaon.stdout != reference_small:
                mismatches.append(f"kaon adl --scheduler on {SMALL_ADL}, {count} worker(s)")
            if count == 1:  # one tiny work item on a warm worker: process, Python, connection, plan, merge
                fixed = measure([args.kaon, "adl", small, "--json", "--scheduler", cluster.address]).wall
            if not args.no_coffea:
                small_coffea = last_json(measure([*coffea, small, "--scheduler", cluster.address]).stdout)["counts"]
                if small_coffea != adl_counts(reference_small):
                    mismatches.append(f"coffea on {SMALL_ADL}: " + ", ".join(
                        k for k, v in adl_counts(reference_small).items() if small_coffea.get(k) != v))
            for _ in range(args.repeat):
                local_adl, dask_adl = adl(count), adl(count, cluster.address)
                local_demo, dask_demo = demo(count), demo(count, cluster.address)
                reference_adl, reference_demo = reference_adl or local_adl, reference_demo or local_demo
                if local_adl != reference_adl or local_demo != reference_demo:
                    mismatches.append(f"local outputs on {count} thread(s) differ from the first local run's")
                if dask_adl != reference_adl:
                    mismatches.append(f"kaon adl --scheduler, {count} worker(s)")
                if dask_demo != reference_demo:
                    mismatches.append(f"kaon run --scheduler (results.json), {count} worker(s)")
                if not args.no_coffea:
                    counts = coffea_adl(count, cluster.address)
                    if counts != adl_counts(reference_adl):
                        mismatches.append(f"coffea ADL on the whole input, {count} worker(s): " + ", ".join(
                            k for k, v in adl_counts(reference_adl).items() if counts.get(k) != v))
            overhead[count] = noop_seconds_per_task(cluster, args.noop_tasks)
            print(f"no-op tasks on {count} worker(s): {overhead[count] * 1e3:.2f} ms per task", file=sys.stderr, flush=True)
            cluster.stop_workers()
    finally:
        cluster.close()
    mismatches = list(dict.fromkeys(mismatches))
    order = [("ADL all-8", "Kaon"), ("demo (dimuon)", "Kaon"), ("ADL all-8", "coffea")]
    rows = sorted(rows.values(), key=lambda r: (order.index((r.job, r.tool)), r.where != "local", r.cores))
    load_end = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)

    report = render(args, argv, rows, mismatches, overhead, fixed, load_start, load_end, adl_files, demo_files)
    print(report)
    with open(args.out, "w") as stream:
        stream.write(report)
    return 1 if mismatches else 0


# --- the report -----------------------------------------------------------------------------

def find(rows, job, tool, where, cores):
    return next((r for r in rows if (r.job, r.tool, r.where, r.cores) == (job, tool, where, cores)), None)


def verdict(ok):
    return "PASS" if ok else "MISS"


def render(args, argv, rows, mismatches, overhead, fixed, load_start, load_end, adl_files, demo_files):
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    import coffea
    import distributed

    lines = [
        "# Dask benchmark results", "",
        *([f"**{args.label}**", ""] if args.label else []),
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}; load average "
        f"{load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end (1-minute; the machine is shared)",
        f"- commit: {commit}; kaon: `{args.kaon}`; Dask/distributed {distributed.__version__}, coffea {coffea.__version__}",
        f"- command: `python {os.path.relpath(os.path.abspath(__file__), REPO)} {shlex.join(argv)}` "
        f"(median of {args.repeat} runs per row)",
        f"- ADL input: {len(adl_files)} links to one generated {args.events:,}-event file (make_adl_sample.py, ZSTD-5), "
        f"{rows[0].events:,} events",
        f"- demo input: `kaon demo --scale {args.demo_scale:g}`, each of its files linked {args.demo_copies} times "
        f"(NAME_k_cC.root; the demo's samples.yml globs pick them up): {len(demo_files)} files, "
        f"{find(rows, 'demo (dimuon)', 'Kaon', 'local', 1).events:,} events",
        f"- outputs identical (Dask vs local byte for byte; coffea vs `kaon adl --json` bin for bin): "
        f"{'yes' if not mismatches else 'NO: ' + '; '.join(mismatches)}",
        "",
        "Times are whole processes (start to exit): for Dask rows that includes starting Python,",
        "connecting to the already running scheduler, planning, the tasks, the merge and writing the",
        "outputs; workers are started (and warmed up on the 1000-event file) before the timed runs.",
        "Local and Dask runs of a core count alternate, repeat after repeat (the load drifts).",
        "",
        "| job | tool | where | cores | median s | events/s | runs (s) |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for r in rows:
        where = f"{r.cores} thread{'s' * (r.cores > 1)}, local" if r.where == "local" else f"Dask, {r.cores} worker{'s' * (r.cores > 1)}"
        lines.append(f"| {r.job} | {r.tool} | {where} | {r.cores} | {r.wall:.2f} | {r.rate:,.0f} | "
                     + ", ".join(f"{w:.2f}" for w in r.walls) + " |")

    targets = ["", "### Ratios and targets", "", "| ratio | measured | target | verdict |", "|---|---:|---:|---|"]
    for job in ("ADL all-8", "demo (dimuon)"):
        one, two = find(rows, job, "Kaon", "dask", 1), find(rows, job, "Kaon", "dask", 2)
        speedup = one.wall / two.wall
        targets.append(f"| {job}, Kaon: 2 workers ÷ 1 worker | {speedup:.2f}× | ≥ 1.8× | {verdict(speedup >= 1.8)} |")
        for cores in (1, 2):
            local, dask = find(rows, job, "Kaon", "local", cores), find(rows, job, "Kaon", "dask", cores)
            extra = dask.wall / local.wall - 1
            targets.append(f"| {job}, Kaon: Dask overhead, {cores} worker(s) vs {cores} local thread(s) | {extra:+.0%} | "
                           f"≤ +10% | {verdict(extra <= 0.10)} |")
    for cores in (1, 2):
        kaon, peer = find(rows, "ADL all-8", "Kaon", "dask", cores), find(rows, "ADL all-8", "coffea", "dask", cores)
        if peer:
            targets.append(f"| ADL all-8: coffea + Dask ÷ Kaon + Dask, {cores} worker(s) | {peer.wall / kaon.wall:.1f}× | ≥ 10× | "
                           f"{verdict(peer.wall / kaon.wall >= 10)} |")
    peer1, peer2 = find(rows, "ADL all-8", "coffea", "dask", 1), find(rows, "ADL all-8", "coffea", "dask", 2)
    if peer1 and peer2:
        targets.append(f"| ADL all-8, coffea: 2 workers ÷ 1 worker (for comparison) | {peer1.wall / peer2.wall:.2f}× | | |")
    lines += targets
    lines += scaling(rows, overhead, fixed)
    return "\n".join(lines) + "\n"


def scaling(rows, overhead, fixed):
    """The per-task overhead, measured two ways, and what it predicts for many workers."""
    adl1, adl2 = find(rows, "ADL all-8", "Kaon", "dask", 1), find(rows, "ADL all-8", "Kaon", "dask", 2)
    items = adl1.items
    compute = adl1.compute / items  # seconds of one work item on one worker
    per_event = adl1.compute / adl1.events
    lost = {r.cores: (r.cores * r.inside - r.compute) / r.items for r in (adl1, adl2)}  # non-compute seconds per item
    o_sched = overhead[2]  # no-op tasks on 2 workers: the scheduler and messaging are the bottleneck
    o_worker = max(lost[1], overhead[1])  # what one worker loses per work item, at least the no-op cost
    out = ["", "### Per-task overhead and scaling (ADL all-8)", "",
           "| measure | value |", "|---|---:|",
           f"| no-op tasks, 1 worker: wall per task | {overhead[1] * 1e3:.2f} ms |",
           f"| no-op tasks, 2 workers: wall per task (scheduler-bound) | {overhead[2] * 1e3:.2f} ms |",
           f"| Kaon ADL, work items (≈ {adl1.events // items:,} events each) | {items} |",
           f"| Kaon ADL, compute per work item, 1 worker (task stream) | {compute * 1e3:.0f} ms |",
           f"| Kaon ADL, non-compute time per work item, 1 worker: (wall in kaon.dask − Σ compute) ÷ items | {lost[1] * 1e3:.1f} ms |",
           f"| Kaon ADL, the same on 2 workers: (2 × wall − Σ compute) ÷ items | {lost[2] * 1e3:.1f} ms |",
           f"| fixed cost of a run (`kaon adl --scheduler` on 1000 events, whole process) | {fixed:.2f} s |", ""]

    def predicted(workers):
        """Fixed cost + the busiest worker's items × (compute + per-item loss), but never faster
        than the scheduler can hand out the items one after the other."""
        return fixed + max(math.ceil(items / workers) * (compute + o_worker), items * o_sched)

    base = predicted(1)
    out += ["Model: T(W) = F + max(⌈N/W⌉ × (c + o_w), N × o_s), with F the fixed cost, N the work items,",
            "c the compute per item, o_w the per-item loss seen by a worker (the larger of the no-op and",
            "the task-stream figure) and o_s the scheduler's per-task time (no-op tasks on 2 workers).",
            f"Here F = {fixed:.2f} s, N = {items}, c = {compute * 1e3:.0f} ms, o_w = {o_worker * 1e3:.1f} ms, "
            f"o_s = {o_sched * 1e3:.2f} ms; measured T(1) = {adl1.wall:.2f} s, T(2) = {adl2.wall:.2f} s, "
            f"model {predicted(1):.2f} s and {predicted(2):.2f} s.", "",
            "| workers | predicted s | speed-up vs 1 worker | limited by |", "|---:|---:|---:|---|"]
    for workers in (1, 2, 100, 1000):
        limit = "the scheduler (N × o_s)" if items * o_sched > math.ceil(items / workers) * (compute + o_worker) \
            else ("too few work items (N < W)" if items < workers else "compute")
        out.append(f"| {workers} | {predicted(workers):.2f} | {base / predicted(workers):.1f}× | {limit} |")
    # Overhead under 5 %: per item, a worker's loss ≤ 5 % of its compute, and the scheduler
    # keeps up with W workers (W × o_s ≤ 5 % of an item's compute).
    out += ["", f"Work-item size keeping the overhead under 5 %, at {1 / per_event:,.0f} events/s per worker: a",
            "worker's per-item loss at most 5 % of the item's compute (o_w ≤ 0.05 × c), and the scheduler",
            "handing out W items within 5 % of one item's compute (W × o_s ≤ 0.05 × c; conservative: as if",
            "the scheduler's work did not overlap the workers'):", "",
            "| workers | events per work item ≥ | compute per item ≥ | events for one item per worker |",
            "|---:|---:|---:|---:|"]
    for workers in (1, 100, 1000):
        seconds = 20 * max(o_worker, workers * o_sched)
        size = seconds / per_event
        out.append(f"| {workers} | {size:,.0f} | {seconds:.1f} s | {workers * size:,.0f} |")
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
