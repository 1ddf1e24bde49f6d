"""uproot's side of the full-file scan: every branch of the tree read and decoded into arrays,
one cluster-sized step at a time (what `kaon scan` does to every basket). Prints one JSON
line: entries, branches, seconds.

Usage: python uproot_scan.py FILE_OR_URL [--tree Events] [--step 100000]
"""
import argparse
import json
import time

from uproot_open import open_tree


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--tree", default="Events")
    ap.add_argument("--step", type=int, default=100_000)
    args = ap.parse_args()
    start = time.perf_counter()
    entries = branches = 0
    for chunk in open_tree(args.file, args.tree).iterate(step_size=args.step, library="np"):
        branches = len(chunk)
        entries += len(next(iter(chunk.values()))) if chunk else 0
    print(json.dumps({"entries": entries, "branches": branches, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
