"""One measured job of the Python-package benchmark, run in a fresh interpreter by run.py.

    worker.py read TOOL LIBRARY THREADS PATH   # every branch with TOOL's tree.arrays()
    worker.py first-histogram TOOL KIND PATH   # import, open, fill one hist.Hist: KIND is
                                               # flat (MET_pt as NumPy) or jagged (Jet_pt, awkward)

Prints one JSON line: the seconds the job took inside the interpreter (`seconds`, the
import included for first-histogram) and what it produced, so run.py can check that both
tools did the same work.
"""
import json
import sys
import time


def open_file(tool, path):
    if tool == "kaon":
        import kaon
        return kaon.open(path)
    import uproot
    return uproot.open(path)


def read(tool, library, threads, path):
    with open_file(tool, path) as file:
        tree = file["Events"]
        start = time.perf_counter()
        if tool == "kaon":
            arrays = tree.arrays(library=library, decompression_threads=threads)
        else:
            arrays = tree.arrays(library=library)
        seconds = time.perf_counter() - start
    fields = len(arrays) if library == "np" else len(arrays.fields)
    entries = len(next(iter(arrays.values()))) if library == "np" else len(arrays)
    return {"seconds": seconds, "branches": fields, "entries": entries}


def first_histogram(tool, kind, path):
    start = time.perf_counter()
    import hist
    file = open_file(tool, path)
    if kind == "flat":
        values = file["Events"]["MET_pt"].array(library="np")
    else:
        import awkward
        values = awkward.flatten(file["Events"]["Jet_pt"].array(library="ak"))
    histogram = hist.Hist.new.Reg(100, 0, 200, name="pt").Double().fill(values)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "sum": float(histogram.sum())}


if __name__ == "__main__":
    job = sys.argv[1]
    if job == "read":
        result = read(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif job == "first-histogram":
        result = first_histogram(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"worker.py: unknown job {job!r} (read, first-histogram)")
    print(json.dumps(result))
