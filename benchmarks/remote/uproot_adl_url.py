"""The eight ADL queries with uproot + awkward + vector (benchmarks/adl/uproot_adl.py's
queries and histogram counts, reused) over a file or URL opened by uproot_open.py. Prints
one JSON line: events, seconds, cpu_seconds, counts.

Usage: python uproot_adl_url.py FILE_OR_URL [--binning root-project|paper] [--step N]
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "adl"))
from uproot_adl import BINNINGS, BRANCHES, counts, queries  # noqa: E402
from uproot_open import open_tree  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--binning", default="root-project", choices=list(BINNINGS))
    ap.add_argument("--step", type=int, default=200_000)
    args = ap.parse_args()
    start, cpu_start = time.perf_counter(), time.process_time()
    binning = BINNINGS[args.binning]
    total = {key: np.zeros(102, dtype=np.int64) for key in binning}
    events = 0
    for chunk in open_tree(args.file, "Events").iterate(BRANCHES, step_size=args.step):
        events += len(chunk)
        for key, values in queries(chunk, args.binning).items():
            total[key] += counts(values, *binning[key])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"events": events, "seconds": seconds, "cpu_seconds": cpu, "counts": {k: v.tolist() for k, v in total.items()}}))


if __name__ == "__main__":
    main()
