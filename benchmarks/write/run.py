#!/usr/bin/env python3
"""Write benchmark: recompress a whole NanoAOD-style tree with Kaon, uproot and ROOT.

Each tool reads every branch of `Events` from the generated 1M-event zstd sample and writes
all of it to a new file with the same compression (default zstd:5), in a fresh process:
  - Kaon:  kaon copy IN OUT --compression zstd:5
  - uproot: uproot.open(IN)["Events"].arrays() then uproot.recreate(OUT, compression=ZSTD(5)),
            out.mktree("Events", types) and extend({name: array, ...}) (a TTree; counted
            arrays grouped under their counter)
  - ROOT:  ROOT.RDataFrame("Events", IN).Snapshot("Events", OUT, all columns, ZSTD level 5)
Reported: median wall time of --repeat runs, MB/s of uncompressed data (wall clock), the
median CPU time (user + system of all threads), the output size, peak RSS, and the ratio to
Kaon. Reading is included for every tool (it is the same job).

Usage (make bench-write): python benchmarks/write/run.py --kaon .build/release/kaon
"""
import argparse
import os
import resource
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BenchmarkError, run_process  # noqa: E402

UPROOT = r"""
import sys, uproot, awkward as ak
src, dst, level = sys.argv[1], sys.argv[2], int(sys.argv[3])
tree = uproot.open(src)["Events"]
arrays = tree.arrays(library="ak")
with uproot.recreate(dst, compression=uproot.ZSTD(level)) as out:
    columns = {}
    grouped = {}
    for name in arrays.fields:
        if "_" in name and tree[name].typename.endswith("[]"):
            grouped.setdefault(name.split("_", 1)[0], []).append(name)
        elif not (name.startswith("n") and name[1:] in {n.split("_", 1)[0] for n in arrays.fields}):
            columns[name] = arrays[name]
    for collection, names in grouped.items():
        columns[collection] = ak.zip({n.split("_", 1)[1]: arrays[n] for n in names})
    # mktree + extend writes a TTree; `out["Events"] = columns` writes an RNTuple in uproot 5.7.
    out.mktree("Events", {name: array.type for name, array in columns.items()})
    out["Events"].extend(columns)
"""

RDF = r"""
import sys, ROOT
src, dst, level = sys.argv[1], sys.argv[2], int(sys.argv[3])
opts = ROOT.RDF.RSnapshotOptions()
opts.fCompressionAlgorithm = ROOT.RCompressionSetting.EAlgorithm.kZSTD
opts.fCompressionLevel = level
df = ROOT.RDataFrame("Events", src)
df.Snapshot("Events", dst, df.GetColumnNames(), opts)
"""


def run(cmd):
    """Wall time, CPU time (user + system, all threads) and peak RSS (MB) of one process.

    The CPU time comes from the children's resource usage around the shared launcher (which
    waits for the command, so its usage is included; the launcher's own is a few ms)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        process = run_process(cmd)
    except BenchmarkError as error:
        raise SystemExit(str(error))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return process.wall, cpu, process.rss_mb


def uncompressed_bytes(path):
    import uproot
    tree = uproot.open(path)["Events"]
    return sum(b.uncompressed_bytes for b in tree.branches)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kaon", default=os.path.join(REPO, ".build", "release", "kaon"))
    ap.add_argument("--input", default=os.path.join(REPO, "benchmarks", "data", "adl-1000000-zstd5.root"),
                    help="the sample to recompress (make bench-read generates it)")
    ap.add_argument("--level", type=int, default=5, help="zstd level")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not os.path.exists(args.input):
        raise SystemExit(f"{args.input} is missing: run `make bench-read` first (it generates the samples)")
    total = uncompressed_bytes(args.input)
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.root")
        tools = {
            "Kaon `kaon copy`": [args.kaon, "copy", args.input, out, "--compression", f"zstd:{args.level}"],
            "uproot (arrays + recreate)": [py, "-W", "ignore", "-c", UPROOT, args.input, out, str(args.level)],
            "ROOT RDataFrame Snapshot": [py, "-W", "ignore", "-c", RDF, args.input, out, str(args.level)],
        }
        rows = []
        for name, cmd in tools.items():
            times, cpus, peaks = [], [], []
            for _ in range(args.repeat):
                if os.path.exists(out):
                    os.remove(out)
                seconds, cpu, peak = run(cmd)
                times.append(seconds)
                cpus.append(cpu)
                peaks.append(peak)
            rows.append((name, statistics.median(times), statistics.median(cpus), max(peaks), os.path.getsize(out)))
            print(f"measured {name}: {rows[-1][1]:.2f} s wall, {rows[-1][2]:.2f} s CPU", file=sys.stderr)
    kaon_seconds = rows[0][1]
    print(f"Recompressing {os.path.basename(args.input)} ({total / 1e6:.1f} MB uncompressed, every branch) "
          f"to zstd:{args.level}; median of {args.repeat}, fresh process each (Kaon reads and compresses on "
          f"every core, {os.cpu_count()} here; uproot and RDataFrame use one); load average "
          f"{os.getloadavg()[0]:.1f}.\n")
    print("| tool | median wall s | MB/s (uncompressed, wall) | median CPU s | output MB | peak RSS MB | wall time / Kaon |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for name, seconds, cpu, peak, size in rows:
        print(f"| {name} | {seconds:.2f} | {total / 1e6 / seconds:.1f} | {cpu:.2f} | {size / 1e6:.1f} | {peak:.0f} | {seconds / kaon_seconds:.2f}× |")


if __name__ == "__main__":
    main()
