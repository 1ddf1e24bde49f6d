"""kaon ls/show/dump on RNTuples against uproot 5.7.7's reading of the same files.

`kaon dump` prints each field per entry (records as objects of their members, each member
holding the arrays of the collections above it; variants as objects of their alternatives,
each an array of zero or one value). Both that and uproot's arrays are reduced to the
canonical leaves of rntuple_reference.py (per leaf: the item counts of every nesting level
and the flattened values) and compared: floats of float32 leaves as float32, everything
else exactly.
"""
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import uproot

from conftest import KAON as KAON_PATH, SHARED, kaon, kaon_json, shared_files

REFERENCE = Path(__file__).with_name("rntuple_reference.py")
FILES = shared_files("rntuple")
# One cluster of 100M entries: dumped in slices, not whole.
HUGE = "test_int_multicluster_rntuple_v1-0-0-0.root"


def ntuple_name(path):
    with uproot.open(path) as file:
        names = [key.split(";")[0] for key, cls in file.classnames().items() if cls == "ROOT::RNTuple"]
    assert len(names) == 1, f"{path}: {names}"
    return names[0]


def reference(path, name, entries=None):
    args = [sys.executable, "-W", "ignore", str(REFERENCE)]
    if entries:
        args += ["--entries", entries]
    result = subprocess.run(args + [str(path), name], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def leaf_paths(value, path=""):
    """The member paths of the leaves below a dumped value ("." for the value itself)."""
    if isinstance(value, dict):
        for member, item in value.items():
            yield from leaf_paths(item, f"{path}.{member}" if path else member)
    elif isinstance(value, list):
        for item in value:
            yield from leaf_paths(item, path)
    else:
        yield path or "."


def project(value, parts):
    """The value at member path `parts`, keeping the lists above it."""
    if isinstance(value, list):
        return [project(item, parts) for item in value]
    if not parts:
        return value
    return project(value[parts[0]], parts[1:])


def canonical(entries, path):
    """The canonical leaf `path` of one field's `kaon dump` values (one item per entry)."""
    parts = [] if path == "." else path.split(".")
    levels, values = [], []

    def descend(value, depth):
        if isinstance(value, list):
            while len(levels) <= depth:
                levels.append([])
            levels[depth].append(len(value))
            for item in value:
                descend(item, depth + 1)
        else:
            values.append(value)

    for entry in entries:
        descend(project(entry, parts), 0)
    return {"levels": levels, "values": values}


def same_value(mine, theirs, dtype):
    if dtype == "string":
        return mine == theirs
    if dtype.startswith("float"):
        ref = float(theirs)
        got = float(mine)
        if math.isnan(ref):
            return math.isnan(got)
        # Kaon reads half-precision columns as float32 and prints float32 values shortest.
        return np.float32(got) == np.float32(ref) if dtype in ("float16", "float32") else got == ref
    if isinstance(mine, bool):
        mine = int(mine)
    return mine == theirs


def compare(kaon_fields, uproot_fields, label):
    assert set(kaon_fields) == set(uproot_fields), label
    for field, expected in uproot_fields.items():
        entries = kaon_fields[field]
        # Leaves seen in Kaon's values (lists may all be empty) must be uproot's.
        seen = {path for entry in entries for path in leaf_paths(entry)}
        assert seen <= set(expected), f"{label} {field}: leaves {sorted(seen)} vs {sorted(expected)}"
        for leaf, ref in expected.items():
            got = canonical(entries, leaf)
            # Lists that are empty in every entry leave the levels below them unseen.
            levels = got["levels"] + [[] for _ in range(len(ref["levels"]) - len(got["levels"]))]
            assert levels == ref["levels"], f"{label} {field} {leaf}: levels"
            values = ref["values"]
            assert len(got["values"]) == len(values), f"{label} {field} {leaf}: value count"
            for index, (mine, theirs) in enumerate(zip(got["values"], values)):
                assert same_value(mine, theirs, ref["dtype"]), f"{label} {field} {leaf} value {index}: Kaon {mine!r}, uproot {theirs!r}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_ls_lists_the_rntuple(path):
    listed = kaon_json("ls", path, "--json")
    with uproot.open(path) as file:
        expected = {key: cls for key, cls in file.classnames().items()}
    assert {f"{item['path']};{item['cycle']}": item["class"] for item in listed} == expected


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_show_matches_uproot(path):
    name = ntuple_name(path)
    shown = kaon_json("show", f"{path}:{name}", "--json")
    ntuple = uproot.open(path)[name]
    assert shown["entries"] == ntuple.num_entries
    assert shown["class"] == "ROOT::RNTuple"
    records = ntuple.field_records
    assert [field["type"] for field in shown["fields"]] == [r.type_name or f"(untyped {role})" for r, role in
                                                          zip(records, [f["role"] for f in shown["fields"]])]
    top = [r.field_name for i, r in enumerate(records) if r.parent_field_id == i]
    assert [f["name"] for f in shown["fields"] if "." not in f["name"]] == top
    # Every column's stored bytes are counted once: the sum is the pages' total.
    stored = sum(f["compressed_bytes"] for f in shown["fields"])
    pages = sum(loc.locator.num_bytes for cluster in ntuple.page_link_list for column in cluster for loc in column.pages)
    assert stored == pages


@pytest.mark.parametrize("path", [p for p in FILES if p.name != HUGE], ids=lambda p: p.name)
def test_dump_equals_uproot(path):
    name = ntuple_name(path)
    compare(kaon_json("dump", f"{path}:{name}"), reference(path, name), path.name)


@pytest.mark.parametrize("entries", ["49999990:50000010", "99999000:100000000"])
def test_dump_slices_of_a_large_cluster(entries):
    path = SHARED / "data" / "rntuple" / HUGE
    compare(kaon_json("dump", f"{path}:ntuple", "--entries", entries), reference(path, "ntuple", entries), entries)


@pytest.mark.parametrize("entries", ["0:3", "2:5", "4:5"])
def test_dump_entry_ranges(entries):
    path = SHARED / "data" / "rntuple" / "test_stl_containers_rntuple_v1-0-0-0.root"
    compare(kaon_json("dump", f"{path}:ntuple", "--entries", entries), reference(path, "ntuple", entries), entries)


def test_dump_a_member_of_a_record():
    path = SHARED / "data" / "rntuple" / "test_nested_structs_rntuple_v1-0-0-0.root"
    dumped = kaon_json("dump", f"{path}:ntuple", "-b", "my_struct.sub_struct.i")
    expected = uproot.open(path)["ntuple"]["my_struct"].array()["sub_struct"]["i"].tolist()
    assert dumped == {"my_struct.sub_struct.i": expected}


def test_a_damaged_anchor_is_an_error(tmp_path):
    original = SHARED / "data" / "rntuple" / "ntpl001_staff_rntuple_v1-0-0-0.root"
    with uproot.open(original) as file:
        key = file.key("Staff")
        anchor = key.data_cursor.index
    damaged = tmp_path / "damaged.root"
    shutil.copy(original, damaged)
    data = bytearray(damaged.read_bytes())
    data[anchor + 6 + 8 + 3] ^= 0x10   # a byte of the header offset; the anchor checksum no longer matches
    damaged.write_bytes(bytes(data))
    result = kaon("dump", f"{damaged}:Staff", "-b", "Age", check=False)
    assert result.returncode == 1
    assert "Staff" in result.stderr and "anchor checksum mismatch" in result.stderr


NANO = SHARED / "data" / "rntuple" / "cmsopendata2015_ttbar_19980_NANOAOD_RNTupleImporter_rntuple_v1-0-0-1.root"


def nano_as_ttree(path):
    """The NanoAOD RNTuple's events as a TTree, written by uproot from uproot's reading (the
    branches the ADL queries read, collections with their n-counters): the same data for
    Kaon's TTree path, independent of Kaon's RNTuple reader."""
    import awkward as ak
    ntuple = uproot.open(NANO)["Events"]
    names = ntuple.keys(recursive=False)
    branches = {name: ntuple[name].array() for name in ("MET_pt", "MET_phi")}
    for collection in ("Muon", "Electron", "Jet"):
        members = [n for n in names if n.startswith(collection + "_")]
        branches[collection] = ak.zip({n[len(collection) + 1:]: ntuple[n].array() for n in members})
    with uproot.recreate(path) as out:
        out.mktree("Events", {name: array.type for name, array in branches.items()},
                   counter_name=lambda counted: "n" + counted, field_name=lambda outer, inner: f"{outer}_{inner}")
        out["Events"].extend(branches)


def test_adl_on_the_rntuple_equals_adl_on_the_same_events_as_ttree(tmp_path):
    ttree = tmp_path / "nano-ttree.root"
    nano_as_ttree(ttree)
    from_rntuple = kaon_json("adl", NANO, "--json")
    from_ttree = kaon_json("adl", ttree, "--json")
    assert from_rntuple == from_ttree
    # Not vacuous: every event reached Q1.
    assert kaon("adl", NANO).stdout.splitlines()[0].split()[:3] == ["q1", "entries", "10,"]


def test_draw_on_the_rntuple_equals_uproot(tmp_path):
    import awkward as ak
    output = tmp_path / "pt.json"
    kaon("draw", f"{NANO}:Events", "Muon_pt", "--where", "abs(Muon_eta) < 2.4", "--bins", "10,0,100", "--no-plot", "-o", output)
    histogram = json.loads(output.read_text())
    events = uproot.open(NANO)["Events"].arrays(["Muon_pt", "Muon_eta"])
    pts = ak.flatten(events.Muon_pt[abs(events.Muon_eta) < 2.4]).to_numpy()
    counts, _ = np.histogram(pts, bins=10, range=(0, 100))
    assert len(pts) > 0
    assert list(histogram["storage"]["values"][1:-1]) == counts.tolist()


@pytest.mark.parametrize("path", [p for p in FILES if p.name != HUGE], ids=lambda p: p.name)
def test_scan_reads_every_page(path):
    name = ntuple_name(path)
    scanned = kaon_json("scan", f"{path}:{name}", "--json")
    ntuple = uproot.open(path)[name]
    assert scanned["entries"] == ntuple.num_entries
    # Every page of every column is read once: projected fields (aliases) are not scanned again.
    pages = [loc for cluster in ntuple.page_link_list for column in cluster for loc in column.pages]
    assert scanned["pages"] == len(pages)
    assert scanned["compressed_bytes"] == sum(loc.locator.num_bytes for loc in pages)


REMOTE_FILES = [SHARED / "data" / "rntuple" / name for name in
                ("test_stl_containers_rntuple_v1-0-0-0.root", "ntpl001_staff_rntuple_v1-0-0-0.root")]


@pytest.mark.parametrize("kind", ["https", "xrootd"])
def test_dump_over_the_network_equals_uproot(kind):
    """Pages come through the ByteSource: over HTTPS (multi-range) and XRootD (readv) the
    values are uproot's reading of the local file."""
    import os
    from remote_servers import HTTPSServer, XRootDServer
    server_type = HTTPSServer if kind == "https" else XRootDServer
    arguments = (REMOTE_FILES, "unused-token") if kind == "https" else (REMOTE_FILES,)
    with server_type(*arguments) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BEARER_TOKEN")}
        if kind == "https":
            env["CURL_CA_BUNDLE"] = server.certificate
        for path in REMOTE_FILES:
            name = ntuple_name(path)
            result = subprocess.run([str(KAON_PATH), "dump", f"{server.url}/{path.name}:{name}"],
                                    capture_output=True, text=True, env=env, timeout=600)
            assert result.returncode == 0, result.stderr
            compare(json.loads(result.stdout), reference(path, name), f"{kind} {path.name}")


WRITER = Path(__file__).with_name("rntuple_write_all_types.py")


@pytest.mark.parametrize("compression", [0, 101, 207, 404, 505])
def test_every_field_type_root_writes_equals_uproot(tmp_path, compression):
    """A file ROOT writes in the test run with every field type and encoding, in each
    compression (uncompressed also means unsplit columns), read by kaon dump and uproot."""
    path = tmp_path / f"all-types-{compression}.root"
    subprocess.run([sys.executable, "-W", "ignore", str(WRITER), str(path), str(compression), "200"],
                   capture_output=True, text=True, check=True)
    dumped = kaon_json("dump", f"{path}:ntuple")
    expected = reference(path, "ntuple")
    # uproot 5.7.7 misreads a std::variant after its first cluster (it gives 0 for int32
    # alternatives there); that field is compared with ROOT's own reading instead.
    variant = dumped.pop("var")
    del expected["var"]
    compare(dumped, expected, f"all types {compression}")
    by_root = subprocess.run([sys.executable, "-W", "ignore", str(WRITER), "--read-variant", str(path)],
                             capture_output=True, text=True, check=True).stdout.split()
    mine = []
    for entry in variant:
        (tag, values), = [(k, v) for k, v in entry.items() if v]
        mine.append(f"{int(tag[1:]) + 1}:{values[0]}")
    theirs = [item.split(":", 1) for item in by_root]
    assert len(mine) == len(theirs) == 200
    for index, (got, (tag, value)) in enumerate(zip(mine, theirs)):
        got_tag, got_value = got.split(":", 1)
        assert got_tag == tag, f"entry {index}: Kaon {got}, ROOT {tag}:{value}"
        assert (got_value == value if tag == "3" else float(got_value) == float(value)), f"entry {index}: Kaon {got}, ROOT {tag}:{value}"
    # Every column was read from several clusters and pages.
    shown = kaon_json("show", f"{path}:ntuple", "--json")
    assert shown["clusters"] > 1
    assert {c for f in shown["fields"] for c in f["columns"]} >= (
        {"Real16", "Real32Trunc(20)", "Real32Quant(12)", "Index32", "Switch", "Bit"}
        | ({"Int32", "Index64", "Real32"} if compression == 0 else {"SplitInt32", "SplitIndex64", "SplitReal32"}))
