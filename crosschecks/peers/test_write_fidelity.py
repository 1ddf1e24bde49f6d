"""`kaon copy` and `kaon merge` keep what ROOT wrote, as ROOT and uproot read it.

PyROOT writes a file holding a TH1, TH2 and TH3 of every storage type (C, S, I, L, F, D),
a TProfile, TProfile2D and TProfile3D, a titled subdirectory and a key with three cycles.
Then:

* `kaon copy` (default: the highest cycle of each key, as hadd) and `kaon copy --all-cycles`
  (every cycle, under its number) must read back in ROOT exactly as the original does:
  class, title, every cell's content and error (flow bins included), sumw2, entries,
  statistics (TH1::GetStats), profile bin entries and Σw², axis edges and titles, and the
  directory's title; uproot must read the same values with the same array types.
* `kaon merge` of two such files (different fills) must equal what ROOT's own `hadd`
  writes for them, read by ROOT and by uproot.
* CLI defects: merging histograms with different binning fails naming both files, the
  object and the difference; copying an RNTuple-only file fails with the reason and
  writes nothing; out-of-range compression levels are usage errors naming the range.
"""
import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import uproot

from conftest import SHARED, kaon

# ROOT's own hadd, shipped inside the PyPI ROOT package (found without importing ROOT here).
HADD = Path(importlib.util.find_spec("ROOT").origin).parent / "bin" / "hadd"

# Makes the input file with PyROOT: argv = path, seed.
GENERATOR = r'''
import sys
import ROOT
path, seed = sys.argv[1], int(sys.argv[2])
rng = ROOT.TRandom3(seed)
f = ROOT.TFile(path, "RECREATE")
edges = ROOT.std.vector("double")([0.0, 0.5, 1.5, 3.0, 5.0])

def fill(h, dimension, n, weighted):
    # Values from -1 to 6 reach both flow bins of [0, 5]; integer storage gets unit
    # weights so that sums stay exact in every type.
    for _ in range(n):
        x = [rng.Uniform(-1, 6) for _ in range(dimension)]
        w = rng.Uniform(0.5, 2.0) if weighted else 1.0
        h.Fill(*x, w)

for storage in "CSILFD":
    weighted = storage in "FD"
    h1 = getattr(ROOT, f"TH1{storage}")(f"h1{storage}", f"1D {storage};x title;y title", 10, 0, 5)
    h2 = getattr(ROOT, f"TH2{storage}")(f"h2{storage}", f"2D {storage};x;y;z", 4, edges.data(), 3, 0, 5)
    h3 = getattr(ROOT, f"TH3{storage}")(f"h3{storage}", f"3D {storage}", 3, 0, 5, 2, 0, 5, 2, 0, 5)
    for dimension, h in ((1, h1), (2, h2), (3, h3)):
        if weighted:
            h.Sumw2()
        fill(h, dimension, 40, weighted)
        h.Write()

p1 = ROOT.TProfile("p1", "profile;x;<y>", 5, 0, 5)
p2 = ROOT.TProfile2D("p2", "profile 2D;x;y;<z>", 3, 0, 5, 4, edges.data())
p3 = ROOT.TProfile3D("p3", "profile 3D;x;y;z", 2, 0, 5, 3, 0, 5, 2, 0, 5)
p2.SetErrorOption("s")
p3.Sumw2()
for _ in range(60):
    x, y, z, t = (rng.Uniform(-1, 6) for _ in range(4))
    w = rng.Uniform(0.5, 2.0)
    p1.Fill(x, y, w)
    p2.Fill(x, y, z, w)
    p3.Fill(x, y, z, t, w)
for p in (p1, p2, p3):
    p.Write()

plots = f.mkdir("plots", "Control plots")
plots.cd()
inner = ROOT.TH2F("inner", "inside plots", 3, 0, 5, 3, 0, 5)
fill(inner, 2, 30, True)
inner.Write()
f.cd()

cycled = ROOT.TH1D("cycled", "three cycles", 4, 0, 5)
for _ in range(3):  # cycles 1, 2 and 3, each with more entries
    fill(cycled, 1, 10, True)
    cycled.Write()
f.Close()
'''

# Dumps every key (every cycle) of a file as ROOT reads it, as JSON on stdout.
DUMPER = r'''
import json, sys
import ROOT

def array(a, n):
    return [a.At(i) for i in range(n)] if a and a.GetSize() else []

def histogram(h):
    n = h.GetNcells()
    stats = ROOT.std.vector("double")(13)
    h.GetStats(stats.data())
    axes = []
    for axis in (h.GetXaxis(), h.GetYaxis(), h.GetZaxis())[:h.GetDimension()]:
        axes.append({"title": axis.GetTitle(), "edges": [axis.GetBinLowEdge(i) for i in range(1, axis.GetNbins() + 2)]})
    item = {"title": h.GetTitle(), "axes": axes, "entries": h.GetEntries(), "stats": list(stats),
            "contents": [h.GetBinContent(i) for i in range(n)], "errors": [h.GetBinError(i) for i in range(n)],
            "sumw2": array(h.GetSumw2(), n)}
    if h.InheritsFrom("TProfile") or h.InheritsFrom("TProfile2D") or h.InheritsFrom("TProfile3D"):
        item["bin_entries"] = [h.GetBinEntries(i) for i in range(n)]
        item["bin_sumw2"] = array(h.GetBinSumw2(), n)
        item["error_option"] = h.GetErrorOption()
    return item

def walk(directory, prefix, out):
    for key in directory.GetListOfKeys():
        path = prefix + key.GetName()
        name = f"{path};{key.GetCycle()}"
        obj = key.ReadObj()
        item = {"class": obj.IsA().GetName()}
        if obj.InheritsFrom("TDirectory"):
            item["title"] = obj.GetTitle()
            walk(obj, path + "/", out)
        elif obj.InheritsFrom("TH1"):
            item.update(histogram(obj))
        out[name] = item

f = ROOT.TFile.Open(sys.argv[1])
out = {}
walk(f, "", out)
print("KAON-DUMP " + json.dumps(out))
'''


def run_python(script, *args):
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", script, *map(str, args)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"PyROOT failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result


def root_dump(path):
    """Every key of `path` as ROOT reads it, by `path;cycle`."""
    result = run_python(DUMPER, path)
    line = next(line for line in result.stdout.splitlines() if line.startswith("KAON-DUMP "))
    problems = [line for line in result.stderr.splitlines() if "Error" in line or "Warning" in line]
    assert not problems, f"ROOT reports reading {path}:\n" + "\n".join(problems)
    return json.loads(line[len("KAON-DUMP "):])


def highest_cycles(dump):
    """The dump restricted to the highest cycle of each path."""
    best = {}
    for name in dump:
        path, cycle = name.rsplit(";", 1)
        best[path] = max(best.get(path, 0), int(cycle))
    return {name: item for name, item in dump.items() if int(name.rsplit(";", 1)[1]) == best[name.rsplit(";", 1)[0]]}


def renumbered(dump):
    """The dump with every cycle set to 1 (what a copy or hadd writes for the highest)."""
    return {name.rsplit(";", 1)[0] + ";1": item for name, item in dump.items()}


def close(a, b):
    """Equal up to rounding of the last bits (sums taken in another order)."""
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and sorted(a) == sorted(b) and all(close(a[k], b[k]) for k in a)
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def assert_same_dump(actual, expected, exact=True):
    assert sorted(actual) == sorted(expected), "keys differ"
    for name, want in expected.items():
        got = actual[name]
        assert sorted(got) == sorted(want), f"{name}: fields differ"
        for field, value in want.items():
            same = got[field] == value if exact else close(got[field], value)
            assert same, f"{name}: {field} differs: {got[field]} != {value}"


def uproot_objects(path):
    """path;cycle → (class, title) of a directory, or (class, title, content array type,
    statistics members, arrays with flow bins) of a histogram, as uproot reads them."""
    out = {}
    with uproot.open(path) as f:
        for name, classname in f.classnames(cycle=True).items():
            title = f.title_of(name)
            if classname in ("TDirectory", "TDirectoryFile"):
                out[name] = (classname, title)
                continue
            obj = f[name]
            members = {key: obj.member(key) for key in STATISTICS if key in obj.all_members}
            arrays = {"values": obj.values(flow=True), "variances": obj.variances(flow=True),
                      "sumw2": np.asarray(obj.member("fSumw2"))}
            if classname.startswith("TProfile"):
                arrays["bin_entries"] = np.asarray(obj.member("fBinEntries"))
                arrays["bin_sumw2"] = np.asarray(obj.member("fBinSumw2"))
            # The TArray base uproot read the contents with (TArrayF for a TH2F) and its dtype.
            layout = (base_names(obj), str(obj.values(flow=True).dtype))
            out[name] = (classname, title, layout, members, arrays)
    return out


def base_names(obj):
    """The uproot model names of an object's bases, depth first (Model_TH1_v8, Model_TArrayC)."""
    return [name for base in obj.bases for name in (type(base).__name__, *base_names(base))]


STATISTICS = ("fEntries", "fTsumw", "fTsumw2", "fTsumwx", "fTsumwx2", "fTsumwy", "fTsumwy2", "fTsumwxy", "fTsumwz",
              "fTsumwz2", "fTsumwxz", "fTsumwyz", "fTsumwt", "fTsumwt2")


def assert_same_uproot(actual, expected):
    assert sorted(actual) == sorted(expected)
    for name, want in expected.items():
        got = actual[name]
        assert got[:3] == want[:3], f"{name}: class, title or array type differ: {got[:3]} != {want[:3]}"
        if len(want) == 2:
            continue
        assert got[3] == want[3], f"{name}: statistics differ"
        for field, value in want[4].items():
            np.testing.assert_array_equal(got[4][field], value, err_msg=f"{name}: {field}")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fidelity")
    paths = [folder / "first.root", folder / "second.root"]
    for seed, path in enumerate(paths, start=1):
        run_python(GENERATOR, path, seed)
    return paths


def test_generator_covers_every_class(inputs):
    dump = root_dump(inputs[0])
    classes = {item["class"] for item in dump.values()}
    expected = {f"TH{d}{s}" for d in "123" for s in "CSILFD"} | {"TProfile", "TProfile2D", "TProfile3D"}
    assert expected <= classes
    assert dump["plots;1"]["title"] == "Control plots"
    assert sorted(name for name in dump if name.startswith("cycled;")) == ["cycled;1", "cycled;2", "cycled;3"]


def test_copy_keeps_classes_values_and_titles(inputs, tmp_path):
    out = tmp_path / "copy.root"
    result = kaon("copy", inputs[0], out)
    assert "skipped" not in result.stdout, result.stdout
    expected = renumbered(highest_cycles(root_dump(inputs[0])))
    assert_same_dump(root_dump(out), expected)
    assert_same_uproot(uproot_objects(out), renumbered(highest_cycles(uproot_objects(inputs[0]))))


def test_copy_all_cycles_keeps_every_cycle(inputs, tmp_path):
    out = tmp_path / "cycles.root"
    result = kaon("copy", inputs[0], out, "--all-cycles")
    assert "copied\tcycled;2" in result.stdout
    assert_same_dump(root_dump(out), root_dump(inputs[0]))
    assert_same_uproot(uproot_objects(out), uproot_objects(inputs[0]))


def test_merge_matches_hadd(inputs, tmp_path):
    assert HADD.is_file(), f"hadd not found at {HADD}"
    reference = tmp_path / "hadd.root"
    subprocess.run([str(HADD), "-f", str(reference), *map(str, inputs)], check=True, capture_output=True, timeout=600)
    out = tmp_path / "merged.root"
    kaon("merge", out, *inputs)
    expected = root_dump(reference)
    assert "plots;1" in expected and expected["p2;1"]["class"] == "TProfile2D"
    assert_same_dump(root_dump(out), expected, exact=False)
    got, want = uproot_objects(out), uproot_objects(reference)
    assert sorted(got) == sorted(want)
    for name, value in want.items():
        assert got[name][:3] == value[:3], f"{name}: class, title or array type differ"
        if len(value) == 2:
            continue
        for key, number in value[3].items():
            assert math.isclose(got[name][3][key], number, rel_tol=1e-12, abs_tol=1e-12), f"{name}: {key}"
        for field, array in value[4].items():
            np.testing.assert_allclose(got[name][4][field], array, rtol=1e-12, atol=1e-12, err_msg=f"{name}: {field}")


# MARK: - CLI defects

BINNING = r'''
import sys
import ROOT
for path, bins in zip(sys.argv[1:], (10, 20)):
    f = ROOT.TFile(path, "RECREATE")
    h = ROOT.TH1D("h", "h", bins, 0, 1)
    h.Fill(0.5)
    h.Write()
    f.Close()
'''


def test_merge_of_different_binning_fails_naming_both_files(tmp_path):
    a, b = tmp_path / "ten.root", tmp_path / "twenty.root"
    run_python(BINNING, a, b)
    out = tmp_path / "merged.root"
    result = kaon("merge", out, a, b, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    message = result.stderr
    for part in (str(a), str(b), " h ", "10", "20"):
        assert part in message, f"{part!r} not in {message!r}"
    assert not out.exists()


def test_copy_of_rntuple_only_file_fails_and_writes_nothing(tmp_path):
    sources = sorted((SHARED / "data" / "rntuple").glob("*.root"))
    assert sources, "no RNTuple files in the shared data"
    for source in sources[:3]:
        out = tmp_path / f"copy-{source.name}"
        result = kaon("copy", source, out, check=False)
        assert result.returncode == 1, f"{source.name}: rc {result.returncode}\n{result.stdout}{result.stderr}"
        assert "RNTuple" in result.stderr and "not supported" in result.stderr, result.stderr
        assert not out.exists()
        assert not list(tmp_path.glob(f".{out.name}.kaon-*")), "temporary file left behind"


@pytest.mark.parametrize("setting, accepted", [
    ("zlib:10", "0-9"), ("lzma:10", "0-9"), ("lz4:12", "0-9"), ("zstd:23", "0-22"), ("none:1", "0-0"),
    ("999", "ALGORITHM"), ("310", "ALGORITHM"), ("110", "0-9"), ("523", "0-22"), ("-1", "ALGORITHM"),
    ("zlib:-1", "0-9"),
])
def test_out_of_range_compression_is_a_usage_error(inputs, tmp_path, setting, accepted):
    for command in (("copy", inputs[0], tmp_path / "out.root"), ("merge", tmp_path / "out.root", inputs[0])):
        result = kaon(*command, f"--compression={setting}", check=False)
        assert result.returncode == 64, f"{setting}: rc {result.returncode}\n{result.stderr}"
        assert accepted in result.stderr and "Usage:" in result.stderr, result.stderr
        assert not (tmp_path / "out.root").exists()


@pytest.mark.parametrize("setting, stored", [("zlib:9", 109), ("zstd:22", 522), ("lz4:1", 401), ("207", 207),
                                             ("505", 505), ("zlib:0", 0), ("0", 0)])
def test_in_range_compression_is_accepted(inputs, tmp_path, setting, stored):
    out = tmp_path / "out.root"
    kaon("copy", inputs[0], out, f"--compression={setting}")
    with uproot.open(out) as f:
        assert f.file.fCompress == stored
        np.testing.assert_array_equal(f["h1F"].values(flow=True), uproot.open(inputs[0])["h1F"].values(flow=True))


TREE_CYCLES = r'''
import sys
from array import array
import ROOT
f = ROOT.TFile(sys.argv[1], "RECREATE")
t = ROOT.TTree("t", "a tree written twice")
x = array("d", [0])
t.Branch("x", x, "x/D")
for stop in (5, 8):  # cycle 1 holds 5 entries, cycle 2 all 8
    while t.GetEntries() < stop:
        x[0] = t.GetEntries() * 1.5
        t.Fill()
    t.Write()
f.Close()
'''


def test_all_cycles_keeps_every_cycle_of_a_tree(tmp_path):
    source = tmp_path / "tree-cycles.root"
    run_python(TREE_CYCLES, source)
    for options, expected in (((), {"t;1": 8}), (("--all-cycles",), {"t;1": 5, "t;2": 8})):
        out = tmp_path / "copy.root"
        kaon("copy", source, out, *options)
        with uproot.open(out) as copy, uproot.open(source) as original:
            assert copy.classnames(cycle=True) == {name: "TTree" for name in expected}
            for name, entries in expected.items():
                assert copy[name].num_entries == entries
                assert copy[name].title == "a tree written twice"
                np.testing.assert_array_equal(copy[name]["x"].array(library="np"),
                                              original["t"]["x"].array(library="np")[:entries])
