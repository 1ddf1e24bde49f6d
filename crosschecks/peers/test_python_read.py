"""The `kaon` Python package (python/, issue 15) against uproot and hist: every branch of every
tree in $SHARED/data/root that uproot reads as numbers (flat, fixed-size or jagged, at any
depth), strings (and containers of them) or leaf lists, read through
`kaon.open(path)[tree].arrays(...)`, equals uproot's arrays for library="np" and "ak" (dtype,
shape, values, jagged structure); the branches Kaon's C interface cannot hand over yet raise
kaon.UnsupportedError, each type listed below with the reason; every histogram equals uproot's (values, variances, edges, flow, `to_hist()`); a
damaged file raises kaon.KaonError and never crashes the interpreter; a file over https://
reads like the local one.

The package must be installed in this interpreter (`make test` does it: `pip install
./python` after `make build`); an ImportError here means it was not."""
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import awkward as ak
import numpy as np
import pytest
import uproot

import kaon
from conftest import SHARED
from remote_servers import HTTPSServer

ROOT_DATA = SHARED / "data" / "root"
FILES = sorted(ROOT_DATA.glob("*.root"))
HISTOGRAM_CLASSES = ("TH1", "TH2", "TH3", "TProfile")

# What uproot reads but Kaon's C interface does not hand over yet, by the kind of awkward
# layout uproot makes of it, and why: the C ABI passes contiguous numbers (strings as UTF-8
# bytes, leaf lists leaf by leaf) plus offsets only.
EXPECTED_EXCLUSIONS = {
    "strings": "strings inside maps are not handed over yet (strings and containers of strings are)",
    "records": "maps (key/value pairs) and a split object's parent branch are not handed over yet; a "
               "split object's members can be read as their own branches (leaf lists are handed over)",
}

# uproot reads ROOT's kCounter members (fStreamerType 6) as uint32; ROOT's streamer declares
# them `int` and Kaon follows ROOT, so there the dtypes differ by design (values are compared).
COUNTER_DTYPES = {(np.dtype(np.uint32), np.dtype(np.int32))}


def exclusion_kind(layout):
    """"strings" or "records" when the layout holds strings or records anywhere, else None."""
    if layout.parameter("__array__") in ("string", "char", "bytestring", "byte"):
        return "strings"
    if isinstance(layout, ak.contents.RecordArray):
        kinds = {exclusion_kind(content) for content in layout.contents}
        return "strings" if "strings" in kinds else "records"
    content = getattr(layout, "content", None)
    return exclusion_kind(content) if content is not None else None


def is_numeric(layout):
    """Whether an awkward layout holds only numbers, in lists at any depth (no strings, records,
    options or unions)."""
    if layout.parameter("__array__") in ("string", "char", "bytestring", "byte"):
        return False
    if isinstance(layout, ak.contents.NumpyArray):
        return True
    if isinstance(layout, (ak.contents.ListOffsetArray, ak.contents.ListArray, ak.contents.RegularArray)):
        return is_numeric(layout.content)
    return False


def collect_trees():
    return [(path.name, key) for path in FILES for key, classname in uproot.open(path).classnames().items()
            if classname == "TTree"]


def collect_histograms():
    cases = []
    for path in FILES:
        with uproot.open(path) as file:
            cases.extend((path.name, key, classname) for key, classname in file.classnames().items()
                         if classname.startswith(HISTOGRAM_CLASSES))
    return cases


TREES = collect_trees()
HISTOGRAMS = collect_histograms()


def uproot_branches(tree):
    """Every branch uproot reads, as (path, typename, awkward array, whether it is numeric)."""
    result = []
    for branch in tree.keys():
        try:
            array = tree[branch].array(library="ak")
        except Exception:  # uproot does not read it (e.g. the parent of a split object)
            continue
        result.append((branch, tree[branch].typename, array, is_numeric(array.layout)))
    return result


def test_the_data_has_trees_and_histograms():
    # Guards the parametrised tests below against an empty data directory.
    assert len(TREES) > 20 and len(HISTOGRAMS) > 5, (len(TREES), len(HISTOGRAMS))


def same_numpy_entry(expected, got):
    """One entry of a jagged library="np" array: uproot gives a NumPy array (one level) or an
    STL container object (deeper, or a set); Kaon gives (object arrays of) NumPy arrays."""
    if isinstance(expected, np.ndarray):
        return isinstance(got, np.ndarray) and got.dtype == expected.dtype and \
            np.array_equal(expected, got, equal_nan=expected.dtype.kind == "f")
    if isinstance(expected, str):
        return expected == got
    return plain(expected.tolist()) == nested_list(got)


def plain(value):
    """uproot's STL containers as lists: a std::set's Python set becomes its sorted list (Kaon
    keeps a set's stored order, which ROOT writes sorted)."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def nested_list(value):
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.dtype == object:
        return [nested_list(item) for item in value]
    return value.tolist()


def numpy_difference(expected, got):
    """Why two library="np" arrays differ, or None when they are equal."""
    if got.shape != expected.shape:
        return f"shape {got.shape} != {expected.shape}"
    if expected.dtype == object:
        if got.dtype != object:
            return f"dtype {got.dtype}, uproot's is object"
        bad = [i for i, (e, g) in enumerate(zip(expected, got)) if not same_numpy_entry(e, g)]
        return f"entries {bad[:5]} differ" if bad else None
    if got.dtype != expected.dtype and (expected.dtype, got.dtype) not in COUNTER_DTYPES:
        return f"dtype {got.dtype} != {expected.dtype}"
    return None if np.array_equal(got, expected, equal_nan=expected.dtype.kind == "f") else "values differ"


def awkward_difference(expected, got):
    # uproot marks a std::set's lists with the parameter __array__ = "set"; Kaon's reader does
    # not tell sets from vectors (same bytes, same values), so parameters are not compared.
    expected = ak.without_parameters(expected)
    got = ak.without_parameters(got)  # strings: both lists of characters (types: test_strings_…)
    if str(expected.type).replace("uint32", "int32") == str(got.type) and "uint32" in str(expected.type):
        expected = ak.values_astype(expected, np.int32)  # a kCounter member (COUNTER_DTYPES)
    if str(got.type) != str(expected.type):
        return f"type {got.type} != {expected.type}"
    if not ak.array_equal(got, expected, equal_nan=True, dtype_exact=True, same_content_types=False):
        return "values differ"
    return None


@pytest.mark.parametrize("file_name,tree_path", TREES)
def test_every_branch_equals_uproot_or_is_refused_clearly(file_name, tree_path):
    """All numeric branches of the tree in one `arrays` call per library (np on one thread,
    ak on two), each equal to uproot's; every other branch uproot reads raises
    kaon.UnsupportedError naming it, for a kind listed in EXPECTED_EXCLUSIONS."""
    tree = uproot.open(ROOT_DATA / file_name)[tree_path]
    branches = uproot_branches(tree)
    numeric = [name for name, _, _, is_number in branches if is_number]
    failures = []
    with kaon.open(ROOT_DATA / file_name) as file:
        kaon_tree = file[tree_path]
        assert kaon_tree.num_entries == tree.num_entries
        got_np = kaon_tree.arrays(numeric, library="np")
        got_ak = kaon_tree.arrays(numeric, library="ak", decompression_threads=2)
        for name, typename, expected_ak, is_number in branches:
            if is_number:
                why = numpy_difference(tree[name].array(library="np"), got_np[name])
                why = why or awkward_difference(expected_ak, got_ak[name])
                if why:
                    failures.append(f"{name} ({typename}): {why}")
                continue
            # Strings and leaf lists are read (compared like numbers); what Kaon refuses must
            # be of a kind listed in EXPECTED_EXCLUSIONS, and the error must name it.
            try:
                one_np = kaon_tree.arrays([name], library="np")[name]
            except kaon.UnsupportedError as error:
                if exclusion_kind(expected_ak.layout) not in EXPECTED_EXCLUSIONS:
                    failures.append(f"{name} ({typename}) is refused and not in EXPECTED_EXCLUSIONS: {error}")
                if name.split("/")[-1] not in str(error):
                    failures.append(f"{name}: the error does not name the branch: {error}")
                continue
            why = numpy_difference(tree[name].array(library="np"), one_np)
            why = why or awkward_difference(expected_ak, kaon_tree.arrays([name], library="ak")[name])
            if why:
                failures.append(f"{name} ({typename}): {why}")
    assert not failures, "\n".join(failures)


def test_entry_range_iterate_threads_and_concatenate_equal_uproot():
    path = ROOT_DATA / "uproot-HZZ-zstd.root"
    names = ["NMuon", "Muon_Px", "Jet_E", "MET_px"]
    tree = uproot.open(path)["events"]
    expected = tree.arrays(names, entry_start=100, entry_stop=-300)
    with kaon.open(path, decompression_threads=2) as file:
        events = file["events"]
        assert events.num_entries == tree.num_entries
        assert events.keys() == tree.keys()
        got = events.arrays(names, entry_start=100, entry_stop=-300)
        assert ak.array_equal(got, expected, same_content_types=False)
        chunks = list(events.iterate(names, step_size=1000))
        assert [len(chunk) for chunk in chunks] == [1000, 1000, 421]
        assert ak.array_equal(ak.concatenate(chunks), tree.arrays(names), same_content_types=False)
        # cut= is uproot's (test_python_cut.py covers it); here it must pass through iterate.
        cut_chunks = list(events.iterate(names, cut="NMuon > 1", step_size=1000))
        assert ak.array_equal(ak.concatenate(cut_chunks), tree.arrays(names, cut="NMuon > 1"), same_content_types=False)
    pattern = str(ROOT_DATA / "uproot-HZZ-*.root")
    joined = kaon.concatenate(f"{pattern}:events", names, library="np")
    reference = uproot.concatenate(f"{pattern}:events", names, library="np")
    for name in names:
        assert len(joined[name]) == len(reference[name])
        assert all(np.array_equal(a, b) for a, b in zip(joined[name], reference[name]))


def test_arrays_share_kaons_buffers_and_release_them_with_the_last_array():
    import gc

    with kaon.open(ROOT_DATA / "uproot-HZZ.root") as file:
        arrays = file["events"].arrays(["Muon_Px", "MET_px"], library="np")
        events = file["events"].arrays(["Muon_Px"], library="ak")
    flat, jagged = arrays["MET_px"], arrays["Muon_Px"]
    # No copy: the NumPy array's memory is the Swift buffer the view exposes.
    view = flat.base
    assert not flat.flags.owndata and view.__array_interface__["data"][0] == flat.ctypes.data
    content = ak.to_layout(events["Muon_Px"]).content.data
    assert not content.flags.owndata and content.base.__array_interface__["data"][0] == content.ctypes.data
    assert all(entry.base is not None and not entry.flags.owndata for entry in jagged[:10])
    finalizers = [view._column._finalizer, content.base._column._finalizer]  # they hold no reference
    assert all(finalizer.alive for finalizer in finalizers)
    del arrays, flat, jagged, view, events, content
    gc.collect()
    assert not any(finalizer.alive for finalizer in finalizers), "kaon_array_free was not called"


def test_typenames_equal_uproots():
    """Kaon's branch type names are uproot's, but for what Kaon's reader does not tell apart or
    cannot interpret: a std::set is named as the std::vector it is read as, a kCounter member
    keeps ROOT's `int` (COUNTER_DTYPES), and a branch Kaon cannot interpret is "unknown"."""
    differences = []
    for file_name, tree_path in TREES:
        expected = uproot.open(ROOT_DATA / file_name)[tree_path]
        with kaon.open(ROOT_DATA / file_name) as file:
            got = file[tree_path].typenames()
        for branch, typename in expected.typenames().items():
            as_kaon_reads_it = typename.replace("std::set<", "std::vector<")
            if got[branch] == as_kaon_reads_it or (typename, got[branch]) == ("uint32_t", "int32_t"):
                continue
            if got[branch] == "unknown" and expected[branch].branches:  # a split object's parent
                continue
            differences.append(f"{file_name}:{tree_path}:{branch}: {got[branch]!r} != {typename!r}")
    assert not differences, "\n".join(differences)


def test_keys_and_classnames_equal_uproot():
    for path in FILES:
        with uproot.open(path) as expected, kaon.open(path) as got:
            assert got.keys() == expected.keys(), path.name
            assert got.classnames() == expected.classnames(), path.name


def test_missing_file_object_and_branch_raise_what_uproot_raises():
    with pytest.raises(FileNotFoundError):
        kaon.open(ROOT_DATA / "no-such-file.root")
    with kaon.open(ROOT_DATA / "uproot-HZZ.root") as file:
        with pytest.raises(KeyError, match="nothing"):
            file["nothing"]
        with pytest.raises(KeyError, match="no_branch"):
            file["events"].arrays(["no_branch"])
        events = file["events"]
    # A tree outlives its closed file; the closed file itself refuses to open objects.
    assert len(events.arrays(["NMuon"], library="np")["NMuon"]) == events.num_entries
    with pytest.raises(ValueError, match="closed"):
        file["events"]


@pytest.mark.parametrize("file_name,key,classname", HISTOGRAMS)
def test_histogram_equals_uproot(file_name, key, classname):
    expected = uproot.open(ROOT_DATA / file_name)[key]
    with kaon.open(ROOT_DATA / file_name) as file:
        got = file[key]
    for flow in (False, True):
        assert got.values(flow).dtype == expected.values(flow).dtype
        np.testing.assert_array_equal(got.values(flow), expected.values(flow))
        np.testing.assert_array_equal(got.variances(flow), expected.variances(flow))
    for got_axis, expected_axis in zip(got.axes, expected.axes):
        np.testing.assert_array_equal(got_axis.edges(), expected_axis.edges())
    if not classname.startswith("TProfile"):  # uproot has no to_numpy for profiles
        for a, b in zip(got.to_numpy(), expected.to_numpy()):
            np.testing.assert_array_equal(a, b)
    got_hist, expected_hist = got.to_hist(), expected.to_hist()
    assert type(got_hist.storage_type) is type(expected_hist.storage_type) or got_hist.storage_type == expected_hist.storage_type
    assert [type(axis) for axis in got_hist.axes] == [type(axis) for axis in expected_hist.axes]
    for got_axis, expected_axis in zip(got_hist.axes, expected_hist.axes):
        np.testing.assert_array_equal(got_axis.edges, expected_axis.edges)
        assert (got_axis.name, got_axis.label) == (expected_axis.name, expected_axis.label)
    got_view, expected_view = got_hist.view(flow=True), expected_hist.view(flow=True)
    if expected_view.dtype.names:  # Weight, Mean, WeightedMean: compare each accumulator field
        assert got_view.dtype.names == expected_view.dtype.names
        for field in expected_view.dtype.names:
            np.testing.assert_array_equal(got_view[field], expected_view[field], err_msg=field)
    else:
        np.testing.assert_array_equal(got_view, expected_view)


# A child interpreter reads every tree and histogram of a damaged file: a KaonError is the
# expected outcome, a crash (signal, non-zero exit) fails the test without killing pytest.
READ_EVERYTHING = textwrap.dedent("""
    import sys, kaon
    errors = 0
    try:
        with kaon.open(sys.argv[1]) as file:
            for key, classname in file.classnames().items():
                try:
                    obj = file[key]
                    if classname == "TTree":
                        names = [b for b, t in obj.typenames().items() if t not in ("unknown",)]
                        for name in names:
                            try:
                                obj.arrays([name], library="np")
                            except kaon.UnsupportedError:
                                pass
                    elif hasattr(obj, "values"):
                        obj.values(flow=True)
                except kaon.UnsupportedError:
                    pass
                except kaon.KaonError as error:
                    assert str(error), "empty message"
                    errors += 1
    except kaon.KaonError as error:
        assert str(error), "empty message"
        errors += 1
    print(errors)
""")


def read_in_child(path):
    result = subprocess.run([sys.executable, "-c", READ_EVERYTHING, str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"reading {path} ended with {result.returncode}:\n{result.stderr[-2000:]}"
    return int(result.stdout.strip())


def test_damaged_header_and_truncated_file_raise_kaon_error(tmp_path):
    data = (ROOT_DATA / "uproot-HZZ-zlib.root").read_bytes()
    bad_magic = tmp_path / "bad-magic.root"
    bad_magic.write_bytes(b"rooo" + data[4:])
    with pytest.raises(kaon.DamagedFileError):
        kaon.open(bad_magic)
    truncated = tmp_path / "truncated.root"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(kaon.KaonError, match="truncated"):
        kaon.open(truncated)


@pytest.mark.parametrize("seed", range(6))
def test_flipped_bytes_raise_kaon_error_without_crashing(tmp_path, seed):
    # Flip bytes in the compressed baskets and key headers of a zlib file (seeded, so a failure
    # reproduces): every read either succeeds or raises a KaonError in a process that survives.
    data = bytearray((ROOT_DATA / "uproot-HZZ-zlib.root").read_bytes())
    generator = np.random.default_rng(seed)
    for position in generator.integers(1000, len(data) - 1000, size=20):
        data[position] ^= 0xFF
    damaged = tmp_path / f"flipped-{seed}.root"
    damaged.write_bytes(bytes(data))
    read_in_child(damaged)


def test_many_flips_are_reported_as_kaon_errors(tmp_path):
    # With a byte in every kilobyte flipped, reading must report damage (not return quietly).
    data = bytearray((ROOT_DATA / "uproot-HZZ-zlib.root").read_bytes())
    for position in range(2000, len(data), 1024):
        data[position] ^= 0x5A
    damaged = tmp_path / "many-flips.root"
    damaged.write_bytes(bytes(data))
    assert read_in_child(damaged) > 0


def test_https_url_reads_like_the_local_file(monkeypatch):
    path = ROOT_DATA / "uproot-HZZ-zstd.root"
    with HTTPSServer([path], f"kaon-python-{uuid.uuid4()}") as server:
        monkeypatch.setenv("CURL_CA_BUNDLE", str(server.certificate))
        with kaon.open(f"{server.url}/{path.name}") as remote, kaon.open(path) as local:
            assert remote.keys() == local.keys()
            got = remote["events"].arrays(["NMuon", "Muon_Px"], library="ak")
            expected = uproot.open(path)["events"].arrays(["NMuon", "Muon_Px"])
            assert ak.array_equal(got, expected, same_content_types=False)


@pytest.mark.parametrize("file_name,tree_path,branch", [
    ("uproot-sample-6.20.04-uncompressed.root", "sample", "str"),
    ("uproot-small-evnt-tree-fullsplit.root", "tree", "evt/Beg"),
    ("uproot-small-evnt-tree-fullsplit.root", "tree", "evt/StdStr"),
    ("uproot-small-evnt-tree-fullsplit.root", "tree", "evt/StlVecStr"),
    ("uproot-leaflist.root", "tree", "leaflist"),
])
def test_strings_and_leaf_lists_are_read_as_uproot_reads_them(file_name, tree_path, branch):
    """Strings (char*, TString, std::string, std::vector<std::string>) and leaf lists in
    uproot's representations: awkward strings / records of the same type, and for
    library="np" object arrays of str / NumPy structured arrays of the same dtype."""
    expected = uproot.open(ROOT_DATA / file_name)[tree_path]
    with kaon.open(ROOT_DATA / file_name) as file:
        tree = file[tree_path]
        got_ak = tree.arrays([branch], library="ak")[branch]
        got_np = tree.arrays([branch], library="np")[branch]
        expected_ak = expected[branch].array(library="ak")
        assert str(got_ak.type) == str(expected_ak.type)
        assert got_ak.tolist() == expected_ak.tolist()
        expected_np = expected[branch].array(library="np")
        assert got_np.dtype == expected_np.dtype
        if expected_np.dtype == object:
            assert [plain(e.tolist()) if hasattr(e, "tolist") else e for e in expected_np] == nested_list(got_np)
        else:
            assert np.array_equal(got_np, expected_np)

