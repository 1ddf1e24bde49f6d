#!/usr/bin/env python3
"""Histogram fill-rate benchmark: Kaon (`kaon-bench hist`) against boost-histogram.

For each configuration (1D and 2D Regular(100, -3, 3) axes, Double and Weight storage; 1D and
2D Variable axes with the same edges, Double storage) it
times filling 10M entries from prepared columns, `--repeat` times, and reports the median
in fills per second:

- boost-histogram: `Histogram.fill` on NumPy float64 arrays (its default, one thread;
  and, for reference, `threads=2`), a fresh histogram per repeat, data generation untimed;
  the arrays hold exactly Kaon's values (`kaon_data` reproduces HistogramBenchmark.data),
  and the run stops if the two histograms differ (checksum of all cells, flow included);
- Kaon: `$KAON_BENCH hist --json --dims D --storage S --entries N --repeats R --threads T`
  (HistogramBenchmark.fillRate: the same axes, the same kind of data, data generation
  untimed), with 1 thread and with `--threads` threads (per-thread copies merged with +).

One-thread rates are timed by the filling thread's CPU time on both sides (Python's
`time.thread_time()`, Kaon's CLOCK_THREAD_CPUTIME_ID): on a shared machine the wall clock
also counts the time a process waits for a core, which swamps 50 ms fills. `--wall` times
them by the wall clock instead; multi-threaded rows are always wall-clock.

Prints a Markdown table with the ratios Kaon / boost-histogram and writes it to
benchmarks/results/hist.md (git-ignored folder). Exit 1 if kaon-bench is missing or a
measurement fails.

Usage:
  ~/.cache/kaon/peers/bin/python benchmarks/hist/run.py [--kaon-bench PATH] [--entries N] [--repeat R] [--threads T] [--wall]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import boost_histogram as bh
import numpy as np

REPO = Path(__file__).resolve().parents[2]
CONFIGS = [(1, "double", "regular"), (1, "weight", "regular"), (2, "double", "regular"), (2, "weight", "regular"),
           (1, "double", "variable"), (2, "double", "variable")]
VARIABLE_EDGES = [-3 + 6 * i / 100 for i in range(101)]  # HistogramBenchmark's Variable axis, bit for bit


def make_axis(kind):
    return bh.axis.Regular(100, -3, 3) if kind == "regular" else bh.axis.Variable(VARIABLE_EDGES)


def kaon_data(count, seed):
    """HistogramBenchmark.data(count:seed:) in NumPy: (u1 + u2 + u3 - 1.5) * 2 with u the
    uniform doubles of SplitMix64 seeded with `seed`, summed left to right like Kaon."""
    out = np.empty(count)
    chunk = 1 << 20
    with np.errstate(over="ignore"):
        for start in range(0, count, chunk):
            n = min(chunk, count - start)
            k = np.arange(3 * start + 1, 3 * (start + n) + 1, dtype=np.uint64)
            z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z ^= z >> np.uint64(31)
            u = ((z >> np.uint64(11)).astype(np.float64) * 2.0**-53).reshape(n, 3)
            out[start:start + n] = (u[:, 0] + u[:, 1] + u[:, 2] - 1.5) * 2
    return out


def checksum(values):
    """Σ (i + 1) · value over the cells in row-major order, flow bins included (as Kaon's)."""
    flat = np.ascontiguousarray(values).ravel()
    return float(np.sum(flat * np.arange(1, flat.size + 1)))


def boost_rate(dims, storage, entries, repeat, threads, cpu, axis="regular"):
    """Fills per second and the checksum of the last histogram, on Kaon's data (seeds 1, 2, 3)."""
    columns = [kaon_data(entries, seed) for seed in range(1, dims + 1)]
    weights = kaon_data(entries, 3) if storage == "weight" else None
    seconds = []
    for _ in range(repeat):
        h = bh.Histogram(*[make_axis(axis) for _ in range(dims)],
                         storage=bh.storage.Double() if storage == "double" else bh.storage.Weight())
        clock = time.thread_time if cpu and threads == 1 else time.perf_counter
        start = clock()
        h.fill(*columns, weight=weights, threads=threads if threads > 1 else None)
        seconds.append(clock() - start)
    return entries / statistics.median(seconds), checksum(h.values(flow=True))


def kaon_rate(kaon_bench, dims, storage, entries, repeat, threads, cpu, axis="regular"):
    cmd = [kaon_bench, "hist", "--json", "--dims", str(dims), "--storage", storage, "--axis", axis,
           "--entries", str(entries), "--repeats", str(repeat), "--threads", str(threads)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        sys.exit(f"run.py: `{' '.join(cmd)}` failed ({result.returncode}):\n{result.stderr}")
    measured = json.loads(result.stdout)
    return measured["fills_per_cpu_second" if cpu and threads == 1 else "fills_per_second"], measured.get("checksum")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kaon-bench", default=os.environ.get("KAON_BENCH", str(REPO / ".build" / "release" / "kaon-bench")))
    p.add_argument("--entries", type=int, default=10_000_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--threads", type=int, default=2, help="threads for the multi-threaded rows (default 2)")
    p.add_argument("--wall", action="store_true",
                   help="time one-thread fills by the wall clock instead of the filling thread's CPU time")
    args = p.parse_args()
    if not Path(args.kaon_bench).is_file():
        sys.exit(f"run.py: kaon-bench not found at {args.kaon_bench}; build it with "
                 "`swift build -c release --product kaon-bench` or pass --kaon-bench")

    rows = []
    for dims, storage, axis in CONFIGS:
        cpu = not args.wall
        b1, bsum = boost_rate(dims, storage, args.entries, args.repeat, 1, cpu, axis)
        bt, _ = boost_rate(dims, storage, args.entries, args.repeat, args.threads, cpu, axis)
        k1, ksum = kaon_rate(args.kaon_bench, dims, storage, args.entries, args.repeat, 1, cpu, axis)
        kt, _ = kaon_rate(args.kaon_bench, dims, storage, args.entries, args.repeat, args.threads, cpu, axis)
        if ksum is None or abs(ksum - bsum) > 1e-9 * abs(bsum):
            sys.exit(f"run.py: {dims}D {axis} {storage}: Kaon's histogram (checksum {ksum}) differs from boost-histogram's "
                     f"({bsum}) on the same data")
        rows.append((f"{dims}D {axis.capitalize()}(100) {storage}", b1, bt, k1, kt))
        print(f"  measured {rows[-1][0]}", file=sys.stderr)

    t = args.threads
    lines = [
        f"Fill rate, {args.entries:,} entries, median of {args.repeat} (M fills/s; ratio = Kaon / boost-histogram 1 thread; "
        f"1-thread columns timed by {'the wall clock' if args.wall else 'the filling thread CPU time'}, {t}-thread columns by the wall clock)",
        "",
        f"| histogram | boost-histogram | boost-histogram {t} thr | Kaon 1 thr | Kaon {t} thr | ratio 1 thr | ratio {t} thr |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, b1, bt, k1, kt in rows:
        lines.append(f"| {name} | {b1/1e6:.0f} | {bt/1e6:.0f} | {k1/1e6:.0f} | {kt/1e6:.0f} | {k1/b1:.2f}× | {kt/b1:.2f}× |")
    lines += ["", f"boost-histogram {bh.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f} at the end (other work on the machine skews both sides)."]
    table = "\n".join(lines)
    print(table)
    results = REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "hist.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
