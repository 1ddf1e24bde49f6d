"""Every branch of every tree in ../shared/data that uproot can read must be read by Kaon
with identical values (the reference is computed with uproot in the test run)."""
import math

import awkward as ak
import numpy as np
import pytest
import uproot

from conftest import kaon_json, shared_files

TREE_CLASSES = {"TTree", "TNtuple", "TNtupleD"}
# Files in data/root are the ones Kaon must read completely; root-extra is best effort:
# where Kaon does not interpret a branch uproot reads, the test records it as xfail.
STRICT_FOLDER = "root"


def trees():
    found = []
    for path in shared_files("root", "root-extra"):
        try:
            classes = uproot.open(path).classnames()
        except Exception:
            continue
        seen = set()
        for key, cls in classes.items():
            name = key.rsplit(";", 1)[0]
            if cls in TREE_CLASSES and name not in seen:
                seen.add(name)
                found.append(pytest.param(path, name, id=f"{path.parent.name}/{path.name}:{name}"))
    return found


def data_branch_paths(branches, prefix=""):
    """Paths (parent/child) of branches without sub-branches, in tree order."""
    for branch in branches:
        path = f"{prefix}{branch.name}"
        if len(branch.branches) == 0:
            yield path
        else:
            yield from data_branch_paths(branch.branches, prefix=path + "/")


def same(kaon_value, uproot_value, as_float32):
    """Exact equality; float32 values compare after rounding Kaon's shortest repr to float32."""
    if isinstance(uproot_value, dict):
        return isinstance(kaon_value, dict) and kaon_value.keys() == uproot_value.keys() and all(
            same(kaon_value[k], uproot_value[k], as_float32) for k in uproot_value)
    if isinstance(uproot_value, (list, tuple)):
        return isinstance(kaon_value, list) and len(kaon_value) == len(uproot_value) and all(
            same(k, u, as_float32) for k, u in zip(kaon_value, uproot_value))
    if isinstance(uproot_value, bool) or isinstance(kaon_value, bool):
        return type(kaon_value) is bool and kaon_value == bool(uproot_value)
    if isinstance(uproot_value, float):
        if math.isnan(uproot_value):
            return isinstance(kaon_value, float) and math.isnan(kaon_value)
        if as_float32:
            return np.float32(kaon_value) == np.float32(uproot_value)
        return float(kaon_value) == uproot_value
    if isinstance(uproot_value, bytes):
        uproot_value = uproot_value.decode("utf-8", "replace")
    return kaon_value == uproot_value


def uproot_diverges_from_root(branch):
    """uproot unpacks range-packed Double32/Float16 as raw * ((high - low) / 2**bits) + low,
    ROOT as raw / (2**bits / (high - low)) + low (and with 2**32 - 1 for 32 bits), which
    differ in the last bits. ROOT wrote the data, so Kaon follows ROOT and these branches
    are checked against PyROOT instead."""
    interpretation = branch.interpretation
    return type(interpretation).__name__ in ("AsDouble32", "AsFloat16") and not interpretation.is_truncated


def root_leaf_values(path, tree_name, leaf_name):
    """A scalar leaf's values for every entry, read by ROOT itself."""
    import ROOT
    handle = ROOT.TFile.Open(str(path))
    tree = handle.Get(tree_name)
    leaf = tree.GetLeaf(leaf_name)
    values = []
    for entry in range(tree.GetEntries()):
        tree.GetEntry(entry)
        length = leaf.GetLen()
        values.append(leaf.GetValue() if length == 1 else [leaf.GetValue(i) for i in range(length)])
    handle.Close()
    return values


def first_difference(kaon_values, uproot_values, as_float32):
    for index, (k, u) in enumerate(zip(kaon_values, uproot_values)):
        if not same(k, u, as_float32):
            return f"entry {index}: kaon {k!r} != uproot {u!r}"
    return f"lengths differ: kaon {len(kaon_values)}, uproot {len(uproot_values)}"


@pytest.mark.parametrize("path,tree_name", trees())
def test_tree_matches_uproot(path, tree_name):
    tree = uproot.open(path)[tree_name]
    shown = kaon_json("show", f"{path}:{tree_name}", "--json")
    assert shown["entries"] == tree.num_entries
    kaon_types = {b["name"]: b["type"] for b in shown["branches"]}

    reference = {}
    root_checked = []
    for branch_path in data_branch_paths(tree.branches):
        if uproot_diverges_from_root(tree[branch_path]):
            root_checked.append(branch_path)
            continue
        try:
            array = tree[branch_path].array(library="ak")
        except Exception:
            continue  # uproot cannot read it either: no reference to compare with
        reference[branch_path] = (ak.to_list(array), "float32" in str(array.type) or "float16" in str(array.type))

    missing = [p for p in reference if p not in kaon_types]
    assert not missing, f"branches uproot lists but kaon does not: {missing}"
    supported = [p for p in reference if not kaon_types[p].startswith("unsupported")]
    unsupported = {p: kaon_types[p] for p in reference if p not in supported}

    for start in range(0, len(supported), 200):
        batch = supported[start:start + 200]
        args = ["dump", f"{path}:{tree_name}"]
        for branch_path in batch:
            args += ["-b", branch_path]
        try:
            dumped = kaon_json(*args)
        except AssertionError as error:
            if path.parent.name == STRICT_FOLDER:
                raise
            pytest.xfail(f"kaon cannot read this best-effort file yet: {str(error).splitlines()[-1]}")
        for branch_path in batch:
            values, as_float32 = reference[branch_path]
            assert same(dumped[branch_path], values, as_float32), \
                f"{branch_path}: {first_difference(dumped[branch_path], values, as_float32)}"

    for branch_path in root_checked:
        leaf = branch_path.rsplit("/", 1)[-1]
        expected = root_leaf_values(path, tree_name, leaf)
        got = kaon_json("dump", f"{path}:{tree_name}", "-b", branch_path)[branch_path]
        as_float32 = type(tree[branch_path].interpretation).__name__ == "AsFloat16"
        assert same(got, expected, as_float32), \
            f"{branch_path} (checked against ROOT): {first_difference(got, expected, as_float32)}"

    if unsupported:
        if path.parent.name == STRICT_FOLDER:
            pytest.fail(f"branches uproot reads but kaon does not interpret: {unsupported}")
        pytest.xfail(f"{len(unsupported)} branches not yet interpreted by kaon, e.g. {next(iter(unsupported.items()))}")


def test_embedded_baskets_of_an_unclosed_file(tmp_path):
    """Baskets stored inside the TBranch (the writer never closed the file) are read."""
    import subprocess
    import sys
    from pathlib import Path
    out = tmp_path / "unclosed.root"
    script = Path(__file__).parent / "fixtures" / "make_unclosed_tree.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True, timeout=300)
    tree = uproot.open(out)["t"]
    assert tree["x"].member("fWriteBasket") == 0, "fixture should have only embedded baskets"
    dumped = kaon_json("dump", f"{out}:t")
    for name in ("x", "n", "v"):
        expected = ak.to_list(tree[name].array())
        assert same(dumped[name], expected, name == "x"), f"{name}: {first_difference(dumped[name], expected, name == 'x')}"


def test_glob_chain_matches_uproot_concatenate():
    """Several files given as one glob are read as one chain, in sorted file order."""
    from conftest import SHARED
    pattern = str(SHARED / "data" / "root" / "uproot-HZZ-*.root")
    files = sorted(__import__("glob").glob(pattern))
    assert len(files) >= 2
    expected = ak.to_list(uproot.concatenate([f + ":events" for f in files], ["NMuon", "Muon_Px"], library="ak"))
    dumped = kaon_json("dump", f"{pattern}:events", "-b", "NMuon", "-b", "Muon_Px", "--entries", ":")
    assert dumped["NMuon"] == [row["NMuon"] for row in expected]
    assert same(dumped["Muon_Px"], [row["Muon_Px"] for row in expected], True)
