#!/usr/bin/env python3
"""AGC benchmark: `kaon agc run` against the AGC's coffea reference implementation
(crosschecks/peers/agc_reference.py, coffea's local executors) on the same AGC-like dataset
written by `kaon agc generate`, 1 and 2 threads (coffea: IterativeExecutor, and
two processes on halves of the samples), in the same run.

Both do the whole AGC processing step: selection, both regions, every systematic (5 jet
passes and 10 weight variations for the nominal samples), the BDT jet-parton assignment and
the 20 feature histograms. Kaon's row also includes writing its outputs; neither row includes
the fit (`kaon agc run --no-fit`). Measured per process: wall time, CPU (user + system of the
process and its threads), from which events/s, CPU per event and events/s per CPU-second
("per core"). The reference's own processing time (coffea's run, without Python start-up and
imports) is printed beside it.

Usage: python benchmarks/agc/run.py [--kaon .build/release/kaon] [--events 20000] [--repeat 1]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BenchmarkError, run_process  # noqa: E402

SAMPLES = 9


def load_average() -> str:
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kaon", default=os.path.join(REPO, ".build", "release", "kaon"))
    parser.add_argument("--shared", default=os.environ.get("SHARED", os.path.join(os.path.dirname(REPO), "shared")))
    parser.add_argument("--events", type=int, default=20000, help="events per sample (9 samples)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per row; medians are shown")
    parser.add_argument("--data", default=os.path.join(REPO, "benchmarks", "data"), help="where the generated dataset is kept")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"))
    args = parser.parse_args()

    agc_dir = os.path.join(args.shared, "data", "agc")
    data = os.path.join(args.data, f"agc-{args.events}")
    samples = os.path.join(data, "samples.yml")
    if not os.path.exists(samples):
        p = run_process([args.kaon, "agc", "generate", data, "--events", str(args.events)])
        if not os.path.exists(samples):
            raise BenchmarkError(f"kaon agc generate failed: {p.stderr}")
    events = SAMPLES * args.events
    work = tempfile.mkdtemp(prefix="kaon-agc-bench-")
    resolution = os.path.join(work, "jet_pt_resolution.json")
    env_shared = {"SHARED": args.shared}
    os.environ.update(env_shared)

    rows = []
    load_before = load_average()
    for threads in (1, 2):
        walls, cpus = [], []
        for r in range(args.repeat):
            out = os.path.join(work, f"kaon-{threads}-{r}")
            p = run_process([args.kaon, "agc", "run", samples, "-o", out, "--threads", str(threads), "--no-fit", "--agc-dir", agc_dir])
            if not os.path.exists(os.path.join(out, "histograms.root")):
                raise BenchmarkError(f"kaon agc run failed: {p.stderr}")
            walls.append(p.wall)
            cpus.append(p.cpu)
            if not os.path.exists(resolution):
                os.replace(os.path.join(out, "jet_pt_resolution.json"), resolution)
        rows.append(("Kaon", threads, statistics.median(walls), statistics.median(cpus), None))
    # coffea on two cores: two processes on halves of the samples at once (its process pool
    # does not run the reference here, see agc_reference.py); wall is the longer, CPU the sum.
    import threading

    import yaml

    spec = yaml.safe_load(open(samples))
    names = list(spec["samples"])
    halves = []
    for k in range(2):
        half = dict(spec, samples={n: dict(spec["samples"][n], files=[os.path.join(data, f) for f in spec["samples"][n]["files"]])
                                   for n in names[k::2]})
        path = os.path.join(work, f"samples-half-{k}.yml")
        with open(path, "w") as f:
            yaml.safe_dump(half, f)
        halves.append(path)
    for threads in (1, 2):
        walls, cpus, inner = [], [], []
        for r in range(args.repeat):
            parts = [samples] if threads == 1 else halves
            outs = [os.path.join(work, f"reference-{threads}-{r}-{k}.json") for k in range(len(parts))]
            results = [None] * len(parts)

            def one(k):
                results[k] = run_process([sys.executable, os.path.join(REPO, "crosschecks", "peers", "agc_reference.py"), "run",
                                          parts[k], resolution, outs[k]])

            runners = [threading.Thread(target=one, args=(k,)) for k in range(len(parts))]
            for t in runners:
                t.start()
            for t in runners:
                t.join()
            for p, out in zip(results, outs):
                if not os.path.exists(out):
                    raise BenchmarkError(f"the reference failed: {p.stderr[-2000:]}")
            walls.append(max(p.wall for p in results))
            cpus.append(sum(p.cpu for p in results))
            inner.append(max(json.load(open(out))["seconds"] for out in outs))
        rows.append(("coffea reference", threads, statistics.median(walls), statistics.median(cpus), statistics.median(inner)))
    load_after = load_average()

    kaon_rate = {t: events / w for tool, t, w, c, _ in rows if tool == "Kaon"}
    lines = [
        "# AGC benchmark: Kaon vs the coffea reference",
        "",
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores; "
        f"{events} events ({SAMPLES} samples × {args.events}, `kaon agc generate`), median of {args.repeat} run(s); "
        f"load average {load_before} before, {load_after} after.",
        "",
        "| tool | threads | wall s | events/s | CPU s | CPU µs/event | events/s per core | coffea run s | Kaon ÷ this (events/s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for tool, threads, wall, cpu, inner in rows:
        rate = events / wall
        lines.append(f"| {tool} | {threads} | {wall:.2f} | {rate:,.0f} | {cpu:.2f} | {cpu / events * 1e6:,.1f} | {events / cpu:,.0f} | "
                     f"{'' if inner is None else f'{inner:.2f}'} | {kaon_rate[threads] / rate:.1f}× |")
    per_core = {tool + str(t): events / c for tool, t, w, c, _ in rows}
    lines += [
        "",
        f"Per core (events per CPU-second, 1 thread): Kaon {per_core['Kaon1']:,.0f}, coffea {per_core['coffea reference1']:,.0f} "
        f"— {per_core['Kaon1'] / per_core['coffea reference1']:.1f}× (issue 20's target: ≥ 20×).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.output + ".new", "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
