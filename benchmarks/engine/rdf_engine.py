"""The RDataFrame side of benchmarks/engine/run.py: an empty graph (Count) or one histogram of
MET_pt (Histo1D of a compiled function's result) on one thread, over FILE chained CHAIN times.

usage: rdf_engine.py FILE empty|met CHAIN
Prints one JSON object: graph, entries, seconds (event loop incl. JIT), and the check value.
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
seconds = time.perf_counter() - start
print(json.dumps({"graph": graph, "entries": entries, "seconds": seconds, **check}))
