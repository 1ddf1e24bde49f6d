"""Verifies the files Kaon's writer produced (Tests/KaonWriteTests/FixtureTests.swift) with
uproot and with ROOT itself.

    python check_written.py DIR

DIR holds the .root files and expected.json. Every histogram (contents, errors, edges,
labels, titles, entries, statistics) and every entry of every tree branch is compared with
the expectation, once as uproot reads it and once as ROOT reads it (in a subprocess, whose
output must contain no "Error" or "Warning"). Exits 1 with a list of differences.
"""
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np

PROBLEMS = []


def problem(where, message):
    PROBLEMS.append(f"{where}: {message}")


def same_number(a, b, float32=False):
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if float32:
        return np.float32(a) == np.float32(b)
    return a == b


def same(actual, expected, float32=False):
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            same(actual[k], expected[k], float32) for k in expected)
    if isinstance(expected, list):
        return isinstance(actual, (list, tuple)) and len(actual) == len(expected) and all(
            same(a, e, float32) for a, e in zip(actual, expected))
    if isinstance(expected, str):
        return actual == expected
    return same_number(actual, expected, float32)


def first_difference(actual, expected, float32=False):
    for i, (a, e) in enumerate(zip(actual, expected)):
        if not same(a, e, float32):
            return f"entry {i}: got {a!r}, expected {e!r}"
    return f"lengths {len(actual)} vs {len(expected)}"


# ---------------------------------------------------------------- uproot

def check_histograms_uproot(directory, expected):
    import uproot
    f = uproot.open(directory / "hists.root")
    for h in expected:
        where = f"uproot hists.root:{h['path']}"
        try:
            obj = f[h["path"]]
        except Exception as error:  # noqa: BLE001 - report any reader failure
            problem(where, f"cannot read: {error}")
            continue
        if obj.classname != h["class"]:
            problem(where, f"class {obj.classname}, expected {h['class']}")
        if obj.member("fTitle") != h["title"]:
            problem(where, f"title {obj.member('fTitle')!r}, expected {h['title']!r}")
        dims = len(h["edges"])
        shape = tuple(len(e) + 1 for e in h["edges"])
        contents = np.array(h["contents"]).reshape(shape, order="F")
        if h["class"] == "TProfile":
            entries = np.array(h["bin_entries"])
            if not np.array_equal(np.asarray(obj.member("fBinEntries")), entries):
                problem(where, "fBinEntries differ")
            means = np.divide(contents, entries, out=np.zeros_like(contents), where=entries != 0)
            if not np.allclose(obj.values(flow=True), means, rtol=0, atol=0):
                problem(where, f"profile means {obj.values(flow=True)} vs {means}")
        else:
            if not np.array_equal(obj.values(flow=True), contents):
                problem(where, f"contents {obj.values(flow=True).ravel(order='F')} vs {h['contents']}")
            variances = np.array(h["sumw2"] or h["contents"]).reshape(shape, order="F")
            if not np.array_equal(obj.variances(flow=True), variances):
                problem(where, "variances differ")
        for d in range(dims):
            axis = obj.axis(d)
            if not np.allclose(axis.edges(), h["edges"][d], rtol=1e-15, atol=1e-15):
                problem(where, f"axis {d} edges {axis.edges()} vs {h['edges'][d]}")
            if axis.member("fTitle") != h["axis_titles"][d]:
                problem(where, f"axis {d} title {axis.member('fTitle')!r}")
            labels = axis.labels()
            if (labels or None) != h["labels"][d]:
                problem(where, f"axis {d} labels {labels} vs {h['labels'][d]}")
        if obj.member("fEntries") != h["entries"]:
            problem(where, f"entries {obj.member('fEntries')} vs {h['entries']}")
        for name, value in h["stats"].items():
            if name in obj.all_members and not same_number(obj.member(name), value):
                problem(where, f"{name} {obj.member(name)} vs {value}")


def check_tree_uproot(directory, expected_files, tree):
    import uproot
    for entry in expected_files:
        where = f"uproot {entry['file']}:{tree['path']}"
        try:
            t = uproot.open(directory / entry["file"])[tree["path"]]
        except Exception as error:  # noqa: BLE001
            problem(where, f"cannot open: {error}")
            continue
        if t.num_entries != tree["entries"]:
            problem(where, f"{t.num_entries} entries, expected {tree['entries']}")
        for name, branch in tree["branches"].items():
            try:
                values = t[name].array(library="ak").tolist()
            except Exception as error:  # noqa: BLE001
                problem(f"{where}/{name}", f"cannot read: {error}")
                continue
            if branch["type"] == "string":
                values = [v.decode() if isinstance(v, bytes) else v for v in values]
            float32 = branch["type"] == "float32"
            if not same(values, branch["values"], float32):
                problem(f"{where}/{name}", first_difference(values, branch["values"], float32))
        small = uproot.open(directory / entry["file"])["sub/Small"]["x"].array(library="np").tolist()
        if small != [1.5, 2.5, 3.5]:
            problem(f"uproot {entry['file']}:sub/Small", f"x = {small}")


# ---------------------------------------------------------------- ROOT

ROOT_SCRIPT = r'''
import json, sys
import ROOT
request = json.loads(sys.argv[1])
out = {"histograms": {}, "trees": {}}
f = ROOT.TFile.Open(request["hists"])
for path in request["hist_paths"]:
    h = f.Get(path)
    cells = h.GetNcells()
    axes = [h.GetXaxis(), h.GetYaxis(), h.GetZaxis()][:h.GetDimension()]
    out["histograms"][path] = {
        "class": h.ClassName(), "title": h.GetTitle(), "entries": h.GetEntries(),
        "contents": [h.GetBinContent(i) for i in range(cells)],
        "errors": [h.GetBinError(i) for i in range(cells)],
        "edges": [[a.GetBinLowEdge(i) for i in range(1, a.GetNbins() + 2)] for a in axes],
        "labels": [[a.GetBinLabel(i) for i in range(1, a.GetNbins() + 1)] if a.GetLabels() else None for a in axes],
        "axis_titles": [a.GetTitle() for a in axes],
    }
f.Close()
for name in request["tree_files"]:
    f = ROOT.TFile.Open(name)
    t = f.Get("Events")
    n = t.GetEntries()
    total = 0
    for i in range(n):
        total += t.GetEntry(i)
    rdf = ROOT.RDataFrame(t)
    columns = []
    for branch, kind in request["branches"].items():
        if kind == "scalar":
            # As double: numpy cannot take ROOT's vector<bool> of results.
            rdf = rdf.Define(branch + "__d", f"(double){branch}")
            columns.append(branch + "__d")
        elif kind == "jagged":
            rdf = rdf.Define(branch + "__n", f"(int){branch}.size()").Define(branch + "__sum", f"double s = 0; for (auto x : {branch}) s += x; return s;")
            columns += [branch + "__n", branch + "__sum"]
    arrays = rdf.AsNumpy(columns)
    out["trees"][name] = {"entries": n, "bytes": total,
                          "columns": {k: [float(x) for x in v] for k, v in arrays.items()},
                          "small": [e.x for e in f.Get("sub/Small")]}
    f.Close()
print("KAON-JSON" + json.dumps(out))
'''


def check_with_root(directory, expected):
    tree = expected["tree"]
    kinds = {}
    for name, branch in tree["branches"].items():
        first = next((v for v in branch["values"] if v != []), None)
        if branch["type"] in ("string", "record") or (isinstance(first, list) and first and isinstance(first[0], list)):
            continue  # char*, leaf lists and 2-d fixed arrays: ROOT reads them via GetEntry only
        kinds[name] = "jagged" if isinstance(branch["values"][0], list) and name.startswith(("Muon_", "v_")) else (
            "fixed" if isinstance(branch["values"][0], list) else "scalar")
    request = {
        "hists": str(directory / "hists.root"),
        "hist_paths": [h["path"] for h in expected["histograms"]],
        "tree_files": [str(directory / e["file"]) for e in expected["tree_files"]],
        "branches": kinds,
    }
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", ROOT_SCRIPT, json.dumps(request)],
                            capture_output=True, text=True, timeout=900)
    text = result.stdout + result.stderr
    noise = [line for line in text.splitlines() if ("Error" in line or "Warning" in line) and "KAON-JSON" not in line]
    if result.returncode != 0 or noise:
        problem("ROOT", f"exit {result.returncode}; output:\n" + "\n".join((noise + text.splitlines()[-15:]) if result.returncode else noise))
    payload = next((line[len("KAON-JSON"):] for line in result.stdout.splitlines() if line.startswith("KAON-JSON")), None)
    if payload is None:
        return
    out = json.loads(payload)
    for h in expected["histograms"]:
        where = f"ROOT hists.root:{h['path']}"
        got = out["histograms"][h["path"]]
        if got["class"] != h["class"] or got["title"] != h["title"] or got["entries"] != h["entries"]:
            problem(where, f"class/title/entries {got['class']} {got['title']!r} {got['entries']}")
        if h["class"] == "TProfile":
            entries = h["bin_entries"]
            means = [c / e if e else 0 for c, e in zip(h["contents"], entries)]
            if not np.allclose(got["contents"], means, rtol=1e-15, atol=0):
                problem(where, f"profile means {got['contents']} vs {means}")
        else:
            if got["contents"] != h["contents"]:
                problem(where, f"contents {got['contents']} vs {h['contents']}")
            errors = [math.sqrt(v) for v in (h["sumw2"] or h["contents"])]
            if not np.allclose(got["errors"], errors, rtol=1e-15, atol=0):
                problem(where, f"errors {got['errors']} vs {errors}")
        if not all(np.allclose(g, e, rtol=1e-15, atol=1e-15) for g, e in zip(got["edges"], h["edges"])):
            problem(where, f"edges {got['edges']} vs {h['edges']}")
        if got["labels"] != h["labels"] or got["axis_titles"] != h["axis_titles"]:
            problem(where, f"labels/titles {got['labels']} {got['axis_titles']}")
    for e in expected["tree_files"]:
        name = str(directory / e["file"])
        got = out["trees"][name]
        where = f"ROOT {e['file']}:Events"
        if got["entries"] != tree["entries"] or got["bytes"] <= 0:
            problem(where, f"entries {got['entries']}, bytes read {got['bytes']}")
        if got["small"] != [1.5, 2.5, 3.5]:
            problem(f"ROOT {e['file']}:sub/Small", f"x = {got['small']}")
        for branch, kind in kinds.items():
            values = tree["branches"][branch]["values"]
            if kind == "scalar":
                if not same(got["columns"][branch + "__d"], values, tree["branches"][branch]["type"] == "float32"):
                    problem(f"{where}/{branch}", first_difference(got["columns"][branch + "__d"], values))
            elif kind == "jagged":
                sizes = [float(len(v)) for v in values]
                sums = []
                for v in values:
                    total = 0.0
                    for x in v:
                        total += float(np.float32(x)) if tree["branches"][branch]["type"] == "float32" else float(x)
                    sums.append(total)
                if got["columns"][branch + "__n"] != sizes:
                    problem(f"{where}/{branch}", "sizes: " + first_difference(got["columns"][branch + "__n"], sizes))
                if not np.allclose(got["columns"][branch + "__sum"], sums, rtol=1e-12, atol=1e-12):
                    problem(f"{where}/{branch}", "sums: " + first_difference(got["columns"][branch + "__sum"], sums))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_written.py DIR")
    directory = Path(sys.argv[1])
    expected = json.loads((directory / "expected.json").read_text())
    check_histograms_uproot(directory, expected["histograms"])
    check_tree_uproot(directory, expected["tree_files"], expected["tree"])
    check_with_root(directory, expected)
    if PROBLEMS:
        print(f"{len(PROBLEMS)} difference(s):")
        for line in PROBLEMS[:200]:
            print("  " + line)
        sys.exit(1)
    print(f"ok: {len(expected['histograms'])} histograms, {len(expected['tree_files'])} tree files verified with uproot and ROOT")


if __name__ == "__main__":
    main()
