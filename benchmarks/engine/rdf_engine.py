"""The RDataFrame side of benchmarks/engine/run.py: an empty graph (Count) or one histogram of
MET_pt (Histo1D of a compiled function's result) on one thread, over FILE chained CHAIN times.

usage: rdf_engine.py FILE empty|met CHAIN
Prints one JSON object: graph, entries, seconds (the second, warm event loop), first_seconds
(the first loop, including the graph's JIT compilation), and the check value.
"""
import json
import sys
import time

import ROOT

path, graph, chain = sys.argv[1], sys.argv[2], int(sys.argv[3])
ROOT.gErrorIgnoreLevel = ROOT.kWarning
# The user code is compiled C++, as an analysis would declare it (no string-JIT per event).
ROOT.gInterpreter.Declare("double kaon_bench_met(float pt) { return pt; }")
names = ROOT.std.vector("string")()
for _ in range(chain):
    names.push_back(path)


def run_once():
    start = time.perf_counter()
    df = ROOT.RDataFrame("Events", names)
    if graph == "met":
        h = df.Define("met", "kaon_bench_met(MET_pt)").Histo1D(("met", "", 100, 0.0, 200.0), "met")
        count = df.Count()
        value = h.GetValue()
        check = {"met_sum": sum(value.GetBinContent(i) for i in range(0, 102))}
        entries = count.GetValue()
    else:
        entries = df.Count().GetValue()
        check = {"count": entries}
    return entries, check, time.perf_counter() - start


# The first loop pays for the interpreter's just-in-time compilation of the graph; the second,
# an identical graph on a fresh RDataFrame, is (nearly) the event loop alone.
entries, check, first = run_once()
entries, check, seconds = run_once()
print(json.dumps({"graph": graph, "entries": entries, "seconds": seconds, "first_seconds": first, **check}))
