"""Files Kaon writes must be read by uproot and ROOT with the values they were written with.

* `kaon copy` of every file in ../shared/data/root: every tree branch uproot reads in the
  original reads identically in the copy (branches Kaon cannot write yet must be listed by
  `kaon copy` as skipped, with a reason, and must not be of a kind Kaon promises to write:
  numbers, fixed and counted arrays, vectors of numbers, strings); every histogram keeps its
  contents, errors, edges, labels and entries; ROOT opens every copy and reads every entry
  without printing an error or a warning.
* The same for one tree copied with every compression algorithm and a range of levels.
* `kaon merge` adds histograms and concatenates trees.
* The fixtures of Tests/KaonWriteTests (histograms of every kind, trees of every branch kind
  under every compression) are checked by check_written.py when KAON_WRITE_FIXTURES names a
  directory the Swift tests wrote; the Swift test runs the same check itself.
"""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import awkward as ak
import numpy as np
import pytest
import uproot

from conftest import REPO, SHARED, kaon, shared_files

TREE_CLASSES = {"TTree", "TNtuple", "TNtupleD"}
HERE = Path(__file__).resolve().parent


def copy_command_available():
    result = kaon("copy", "--help", check=False)
    return result.returncode == 0


@pytest.fixture(scope="module", autouse=True)
def require_copy_command():
    if not copy_command_available():
        pytest.fail("`kaon copy` is not available: register CopyCommand and MergeCommand in Sources/KaonCLI/Kaon.swift")


def skipped_by_kaon(output):
    """The `skipped` lines of kaon copy/merge: {path: reason}."""
    result = {}
    for line in output.splitlines():
        if line.startswith("skipped\t"):
            path, _, reason = line[len("skipped\t"):].partition(": ")
            result[path] = reason
    return result


def same(a, b, float32):
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(same(a[k], b[k], float32) for k in b)
    if isinstance(b, (list, tuple)):
        return isinstance(a, (list, tuple)) and len(a) == len(b) and all(same(x, y, float32) for x, y in zip(a, b))
    if isinstance(b, bytes):
        b = b.decode("utf-8", "replace")
    if isinstance(a, bytes):
        a = a.decode("utf-8", "replace")
    if isinstance(b, float) or isinstance(a, float):
        if math.isnan(float(b)):
            return math.isnan(float(a))
        return np.float32(a) == np.float32(b) if float32 else float(a) == float(b)
    return a == b


def first_difference(a, b, float32):
    for i, (x, y) in enumerate(zip(a, b)):
        if not same(x, y, float32):
            return f"entry {i}: copy {x!r} != original {y!r}"
    return f"lengths differ: copy {len(a)}, original {len(b)}"


def data_branches(branches, prefix=""):
    for branch in branches:
        path = f"{prefix}{branch.name}"
        if len(branch.branches) == 0:
            yield path, branch
        else:
            yield from data_branches(branch.branches, prefix=path + "/")


def must_be_written(branch):
    """Whether Kaon promises to write this branch: numbers (scalars, fixed and counted
    arrays), vectors of numbers and strings, vectors of vectors of numbers, as uproot
    interprets them."""
    interpretation = branch.interpretation
    name = type(interpretation).__name__
    if name == "AsDtype":
        return True  # numbers, fixed arrays and leaf lists (records)
    if name == "AsJagged":
        content = interpretation.content
        return type(content).__name__ == "AsDtype" and content.from_dtype.names is None
    if name == "AsStrings":
        return True
    if name == "AsObjects":
        # std::vector<std::vector<number>> (and vector<set<number>>, written as vector<vector>)
        outer = interpretation.model
        inner = getattr(outer, "values", None)
        return (type(outer).__name__ == "AsVector" and type(inner).__name__ == "AsVector"
                and isinstance(inner.values, np.dtype))
    return False


def packed_differently(branch):
    """Range-packed Double32/Float16: uproot unpacks them with a formula that differs from
    ROOT's in the last bits, and Kaon (like ROOT) writes ROOT's values as plain doubles and
    floats, so these branches are compared with a relative tolerance of 1e-6."""
    interpretation = branch.interpretation
    return type(interpretation).__name__ in ("AsDouble32", "AsFloat16") and not interpretation.is_truncated


def compare_trees(original_path, copy_path, skipped, tree_names=None, entries=None, selected=None):
    original = uproot.open(original_path)
    copy = uproot.open(copy_path)
    names = tree_names or sorted({k.rsplit(";", 1)[0] for k, c in original.classnames().items() if c in TREE_CLASSES})
    for tree_name in names:
        if tree_name in skipped:
            # Only a tree with no writable branch may be left out.
            tree = original[tree_name]
            writable = [p for p, b in data_branches(tree.branches) if must_be_written(b)]
            assert not writable, f"{tree_name} skipped ({skipped[tree_name]}) but has writable branches {writable}"
            continue
        a = original[tree_name]
        b = copy[tree_name]
        start, stop = entries or (0, a.num_entries)
        stop = min(stop, a.num_entries)
        assert b.num_entries == stop - start, f"{tree_name}: {b.num_entries} entries, expected {stop - start}"
        copied = set(b.keys())
        for path, branch in data_branches(a.branches):
            if selected is not None and path not in selected:
                continue
            try:
                reference = branch.array(library="ak", entry_start=start, entry_stop=stop)
            except Exception:  # noqa: BLE001 - uproot cannot read it: nothing to compare with
                continue
            name = path.rsplit("/", 1)[-1]
            if name not in copied:
                key = f"{tree_name}:{path}"
                assert key in skipped, f"{key} is neither copied nor listed as skipped"
                assert not must_be_written(branch), f"{key} must be written but was skipped: {skipped[key]}"
                continue
            got = ak.to_list(b[name].array(library="ak"))
            expected = ak.to_list(reference)
            if packed_differently(branch):
                flat_got = np.asarray(ak.flatten(ak.Array(got), axis=None), dtype=np.float64)
                flat_expected = np.asarray(ak.flatten(reference, axis=None), dtype=np.float64)
                assert np.allclose(flat_got, flat_expected, rtol=1e-6, atol=1e-9), f"{tree_name}:{path} (packed) differs"
                continue
            float32 = "float32" in str(reference.type) or "float16" in str(reference.type)
            assert same(got, expected, float32), f"{tree_name}:{path}: {first_difference(got, expected, float32)}"


def compare_histograms(original_path, copy_path, skipped):
    original = uproot.open(original_path)
    copy = uproot.open(copy_path)
    for key, cls in original.classnames().items():
        if not (cls.startswith("TH") or cls.startswith("TProfile")):
            continue
        path = key.rsplit(";", 1)[0]
        if path in skipped:
            assert cls.startswith(("TProfile2D", "TProfile3D")), f"{path} ({cls}) skipped: {skipped[path]}"
            continue
        a, b = original[path], copy[path]
        assert np.array_equal(a.values(flow=True), b.values(flow=True)), f"{path}: contents differ"
        if not cls.startswith("TProfile"):
            assert np.array_equal(a.variances(flow=True), b.variances(flow=True)), f"{path}: variances differ"
        else:
            assert np.allclose(a.errors(flow=True), b.errors(flow=True), rtol=1e-15, atol=0), f"{path}: errors differ"
        for d in range(len(a.axes)):
            assert np.allclose(a.axis(d).edges(), b.axis(d).edges(), rtol=1e-15, atol=1e-300), f"{path}: axis {d} edges"
            assert a.axis(d).labels() == b.axis(d).labels(), f"{path}: axis {d} labels"
            assert a.axis(d).member("fTitle") == b.axis(d).member("fTitle"), f"{path}: axis {d} title"
        assert a.member("fEntries") == b.member("fEntries"), f"{path}: entries"
        assert a.member("fTitle") == b.member("fTitle"), f"{path}: title"


ROOT_READER = r'''
import sys
import ROOT
skip = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--skip-class=")]
for name in [a for a in sys.argv[1:] if not a.startswith("--skip-class=")]:
    f = ROOT.TFile.Open(name)
    if not f or f.IsZombie():
        print("Error: cannot open " + name)
        continue
    def walk(directory, prefix):
        for key in directory.GetListOfKeys():
            obj = key.ReadObj()
            path = prefix + key.GetName()
            if obj.InheritsFrom("TDirectory"):
                walk(obj, path + "/")
            elif obj.InheritsFrom("TTree"):
                for branch in obj.GetListOfBranches():
                    if any(branch.GetClassName().startswith(prefix) for prefix in skip):
                        obj.SetBranchStatus(branch.GetName(), 0)
                for i in range(obj.GetEntries()):
                    if obj.GetEntry(i) <= 0 and obj.GetListOfBranches().GetEntries() > 0:
                        print(f"Error: {name}:{path}: entry {i} read no bytes")
                        break
            elif obj.InheritsFrom("TH1"):
                obj.GetBinContent(1)
    walk(f, "")
    f.Close()
print("KAON-ROOT-DONE")
'''


def root_reads_cleanly(paths, skip_classes=()):
    """Opens the files with ROOT (reading every key and every tree entry) and returns the
    lines of ROOT's output that mention an error or warning. Branches whose class starts
    with one of `skip_classes` are not read."""
    options = [f"--skip-class={prefix}" for prefix in skip_classes]
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", ROOT_READER, *options, *map(str, paths)],
                            capture_output=True, text=True, timeout=900)
    text = result.stdout + result.stderr
    problems = [line for line in text.splitlines() if "Error" in line or "Warning" in line or "error" in line]
    if result.returncode != 0 or "KAON-ROOT-DONE" not in result.stdout:
        problems.append(f"ROOT exited with {result.returncode}: {text[-2000:]}")
    return problems


@pytest.mark.parametrize("path", shared_files("root"), ids=lambda p: p.name)
def test_copy_matches_original(path, tmp_path):
    out = tmp_path / path.name
    result = kaon("copy", path, out)
    skipped = skipped_by_kaon(result.stdout)
    compare_trees(path, out, skipped)
    compare_histograms(path, out, skipped)
    # ROOT 6.40 from PyPI has no dictionaries for std::map classes and crashes reading the
    # map branches of the original uproot-stl_containers.root itself (emulated pair<K, V>
    # streamers); uproot compares them above, ROOT reads every other branch.
    problems = root_reads_cleanly([out], skip_classes=["map<"] if path.name == "uproot-stl_containers.root" else [])
    assert not problems, "ROOT reports:\n" + "\n".join(problems)


COMPRESSIONS = ["none", "zlib:1", "zlib:6", "zlib:9", "lzma:1", "lzma:9", "lz4:1", "lz4:4", "lz4:9",
                "zstd:1", "zstd:5", "zstd:19"]


def test_copy_every_compression(tmp_path):
    source = SHARED / "data" / "root" / "root-6.40-adl-2000-zstd.root"
    outputs = []
    for setting in COMPRESSIONS:
        out = tmp_path / f"copy-{setting.replace(':', '-')}.root"
        result = kaon("copy", source, out, "--compression", setting)
        compare_trees(source, out, skipped_by_kaon(result.stdout))
        stored = uproot.open(out)["Events"]
        expected = 0 if setting == "none" else {"zlib": 1, "lzma": 2, "lz4": 4, "zstd": 5}[setting.split(":")[0]] * 100 + int(setting.split(":")[1])
        assert stored["nMuon"].member("fCompress") == expected
        outputs.append(out)
    problems = root_reads_cleanly(outputs)
    assert not problems, "ROOT reports:\n" + "\n".join(problems)


def test_copy_selected_branches_and_entries(tmp_path):
    source = SHARED / "data" / "root" / "root-6.40-adl-2000-lz4.root"
    out = tmp_path / "selected.root"
    result = kaon("copy", source, out, "-b", "Muon_pt", "-b", "MET_pt", "--entries", "100:250")
    copied = uproot.open(out)["Events"]
    assert set(copied.keys()) == {"Muon_pt", "MET_pt", "nMuon"}  # the counter comes along
    compare_trees(source, out, skipped_by_kaon(result.stdout), tree_names=["Events"], entries=(100, 250),
                  selected={"Muon_pt", "MET_pt", "nMuon"})


def test_copy_keeps_stl_containers_and_their_classes(tmp_path):
    """Maps, sets and nested containers of strings are copied as ROOT's bytes under their
    own classes: nothing is skipped, uproot sees the same C++ types and values, also for an
    entry range that starts and ends inside baskets."""
    source = SHARED / "data" / "root" / "uproot-stl_containers.root"
    original = uproot.open(source)["tree"]
    for entries in [None, (1, 4)]:
        out = tmp_path / f"stl-{entries}.root"
        arguments = ["--entries", f"{entries[0]}:{entries[1]}"] if entries else []
        result = kaon("copy", source, out, *arguments)
        assert skipped_by_kaon(result.stdout) == {}
        copy = uproot.open(out)["tree"]
        assert copy.keys() == original.keys()
        start, stop = entries or (0, original.num_entries)
        assert copy.num_entries == stop - start
        for name in original.keys():
            assert copy[name].typename == original[name].typename, name
            assert copy[name].member("fClassName") == original[name].member("fClassName"), name
            expected = original[name].array(library="ak", entry_start=start, entry_stop=stop)
            assert ak.to_list(copy[name].array(library="ak")) == ak.to_list(expected), name


def test_merge_adds_histograms_and_concatenates_trees(tmp_path):
    hists = SHARED / "data" / "root" / "root-6.40-histograms.root"
    tree = SHARED / "data" / "root" / "uproot-HZZ.root"
    out = tmp_path / "merged.root"
    kaon("merge", out, hists, tree, hists, tree)
    merged = uproot.open(out)
    original = uproot.open(hists)
    for key, cls in original.classnames().items():
        if cls.startswith("TH") and not cls.startswith("TProfile"):
            path = key.rsplit(";", 1)[0]
            assert np.array_equal(merged[path].values(flow=True), 2 * original[path].values(flow=True)), path
            assert merged[path].member("fEntries") == 2 * original[path].member("fEntries"), path
    events = uproot.open(tree)["events"]
    both = merged["events"]
    assert both.num_entries == 2 * events.num_entries
    px = events["Muon_Px"].array()
    assert ak.to_list(both["Muon_Px"].array()) == ak.to_list(ak.concatenate([px, px]))
    problems = root_reads_cleanly([out])
    assert not problems, "ROOT reports:\n" + "\n".join(problems)


def test_swift_fixtures():
    directory = os.environ.get("KAON_WRITE_FIXTURES")
    if not directory or not (Path(directory) / "expected.json").is_file():
        pytest.skip("set KAON_WRITE_FIXTURES to the directory `swift test --filter FixtureTests` wrote "
                    "(the Swift test runs check_written.py itself)")
    result = subprocess.run([sys.executable, "-W", "ignore", str(HERE / "check_written.py"), directory],
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
