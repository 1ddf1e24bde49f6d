"""The eight ADL queries with uproot + awkward + vector (benchmarks/adl/uproot_adl.py's
queries and histogram counts, reused) over a file or URL opened by uproot_open.py. Prints
one JSON line: events, seconds, cpu_seconds, counts.

Usage: python uproot_adl_url.py FILE_OR_URL [--binning root-project|paper] [--step N]
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "adl"))
import uproot_adl  # noqa: E402
from uproot_open import open_tree  # noqa: E402


def iterate_url(file, branches, step):
    """The tree `Events` of a file or URL opened by uproot_open.py, in chunks of `step` entries."""
    return open_tree(file, "Events").iterate(branches, step_size=step)


if __name__ == "__main__":
    uproot_adl.main(sys.argv[1:], iterate=iterate_url, description=__doc__)
