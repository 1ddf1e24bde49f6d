"""RNTuples Kaon writes (`kaon copy --rntuple`) read by ROOT 6.40 and uproot with the values
of the trees they were copied from.

Ground truth is uproot's reading of the input TTree. The copy is read three ways and each
must give those values exactly (float32 values compare as the same float32 numbers):
ROOT's RNTupleReader (`Show` of every entry, printed with 17 significant digits, which is
exact for float and double), ROOT's RDataFrame (`AsNumpy`) and uproot's RNTuple reader.
Kaon's own reader must read the copy as it reads the input (`kaon dump`).

Inputs: the shared files with every primitive leaf type as scalar, fixed array and counted
array plus char* strings (in every compression), std::vector and std::string branches,
nested vectors and a leaf list; the shared NanoAOD file; and a generated tree long enough
to make several clusters.
"""
import json
import subprocess
import sys

import awkward as ak
import numpy as np
import pytest
import uproot

from conftest import SHARED, kaon

ROOT_DATA = SHARED / "data" / "root"

# For each job (RNTuple name, file, RDataFrame columns) of the JSON argument: the entries as
# ROOT's RNTupleReader shows them (one object per entry, fields by name) and the columns'
# RDataFrame AsNumpy values; one process (ROOT starts slowly) for all the files of a test.
ROOT_SCRIPT = r'''
import json, re, sys
import ROOT
ROOT.gInterpreter.Declare(r"""
#include <ROOT/RNTupleReader.hxx>
#include <iomanip>
#include <sstream>
std::string kaon_show_all(const char *name, const char *path) {
  auto reader = ROOT::RNTupleReader::Open(name, path);
  std::ostringstream out;
  out << std::setprecision(17) << "[";
  for (auto entry : reader->GetEntryRange()) {
    if (entry > 0) out << ",";
    reader->Show(entry, out);
  }
  out << "]";
  return out.str();
}
std::uint64_t kaon_entries(const char *name, const char *path) {
  return ROOT::RNTupleReader::Open(name, path)->GetNEntries();
}
""")
def plain(value):
    if isinstance(value, (str, bytes)):
        return value
    if hasattr(value, "__len__"):
        return [plain(item) for item in value]
    return value.item() if hasattr(value, "item") else value

readings = []
for job in json.loads(sys.argv[1]):
    if not job["show"]:
        readings.append({"entries": int(ROOT.kaon_entries(job["name"], job["path"])), "rdf": {}})
        arrays = ROOT.RDataFrame(job["name"], job["path"]).AsNumpy(job["columns"])
        readings[-1]["rdf"] = {column: [plain(value) for value in arrays[column]] for column in job["columns"]}
        continue
    text = str(ROOT.kaon_show_all(job["name"], job["path"]))
    # Show prints C++'s nan and inf, which JSON spells NaN and Infinity.
    text = re.sub(r'(?<=[\s\[:,])(-?)(nan|inf)(?=[\s,\]}])',
                  lambda m: "NaN" if m.group(2) == "nan" else m.group(1) + "Infinity", text)
    reading = {"show": json.loads(text)}
    if job["columns"]:
        arrays = ROOT.RDataFrame(job["name"], job["path"]).AsNumpy(job["columns"])
        reading["rdf"] = {column: [plain(value) for value in arrays[column]] for column in job["columns"]}
    readings.append(reading)
print("KAON-JSON " + json.dumps(readings))
'''


def root(jobs, show=True):
    """ROOT's readings of [(name, path, rdataframe columns)], in order; without `show`,
    only the entry count RNTupleReader opens and the RDataFrame columns."""
    argument = json.dumps([{"name": name, "path": str(path), "columns": list(columns), "show": show}
                           for name, path, columns in jobs])
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", ROOT_SCRIPT, argument],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"ROOT failed on {argument}:\n{result.stderr[-3000:]}"
    lines = [line for line in result.stdout.splitlines() if line.startswith("KAON-JSON ")]
    assert lines, f"ROOT printed no values for {argument}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    return json.loads(lines[-1][len("KAON-JSON "):])


def copy_as_rntuple(source, target, *options):
    """Runs `kaon copy --rntuple`; returns the branch names it skipped."""
    output = kaon("copy", source, target, "--rntuple", *options).stdout
    skipped = set()
    for line in output.splitlines():
        if line.startswith("skipped\t"):
            reason = line.split("\t", 1)[1]
            skipped.add(reason.split(":")[1] if reason.count(":") >= 2 else reason)
    return skipped


def field_name(branch):
    """The field Kaon makes of a branch: no `[dims]` suffix, `_` for `.`."""
    return branch.split("[")[0].replace(".", "_")


def tree_values(path, tree, fields, entry_stop=None):
    """uproot's reading of the input tree: per field, the entries of its branch as Python values."""
    branches = {field_name(branch.name): branch.name for branch in uproot.open(path)[tree].itervalues(recursive=True)}
    arrays = uproot.open(path)[tree].arrays([branches[field] for field in fields], entry_stop=entry_stop, library="ak")
    return {field: ak.to_list(arrays[branches[field]]) for field in fields}


def fields_of(path, name):
    return list(uproot.open(path)[name].keys(recursive=False))


def canonical(value):
    """A value with NaN made comparable (NaN equals NaN here; its payload is not compared)."""
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    return value


def assert_same(expected, actual, what):
    assert len(expected) == len(actual), f"{what}: {len(actual)} entries, expected {len(expected)}"
    for entry, (a, b) in enumerate(zip(expected, actual)):
        assert canonical(a) == canonical(b), f"{what}, entry {entry}: {b!r}, expected {a!r}"


def check_copies(jobs, show=True):
    """Copies each (source, tree, target, kaon copy options, RDataFrame columns) and checks
    every field of every copy with uproot, ROOT's RNTupleReader (`show`: every entry shown;
    otherwise the entry count) and (the columns named) RDataFrame against uproot's reading
    of the source tree. Returns the fields per copy."""
    checks = []
    for source, tree, target, options, columns in jobs:
        skipped = copy_as_rntuple(source, target, *options)
        names = fields_of(target, tree)
        assert names, f"{target} has no fields"
        assert not set(names) & skipped
        entry_stop = int(options[options.index("--entries") + 1].split(":")[1]) if "--entries" in options else None
        expected = tree_values(source, tree, names, entry_stop)
        assert uproot.open(target).classnames()[f"{tree};1"] == "ROOT::RNTuple"
        arrays = uproot.open(target)[tree].arrays(names, library="ak")
        for name in names:
            assert_same(expected[name], ak.to_list(arrays[name]), f"uproot, {target.name}:{name}")
        checks.append((names, expected))
    readings = root([(tree, target, columns) for _, tree, target, _, columns in jobs], show)
    for (_, tree, target, _, columns), (names, expected), reading in zip(jobs, checks, readings):
        if not show:
            assert reading["entries"] == len(expected[names[0]])
        for name in names if show else ():
            assert_same(expected[name], [entry[name] for entry in reading["show"]], f"RNTupleReader, {target.name}:{name}")
        for name in columns:
            assert_same(expected[name], reading["rdf"][name], f"RDataFrame, {target.name}:{name}")
    return [names for names, _ in checks]


SAMPLE = ROOT_DATA / "uproot-sample-6.20.04-uncompressed.root"


def test_every_primitive_type_in_every_compression(tmp_path):
    """bool, every integer width signed and unsigned, float and double as scalars, fixed
    arrays [3] and counted arrays, plus char* strings, in each compression; uncompressed
    pages are plain, compressed ones split (zigzag, delta offsets)."""
    compressions = ["none", "zlib:1", "lzma:7", "lz4:4", "zstd:5"]
    targets = {c: tmp_path / f"sample-{c.split(':')[0]}.root" for c in compressions}
    check_copies([(SAMPLE, "sample", targets[c], ["--compression", c], ("i4", "ai8", "Af8", "str") if c == "zstd:5" else ())
                  for c in compressions])
    branches = {field_name(b.name) for b in uproot.open(SAMPLE)["sample"].itervalues(recursive=True)}
    split_types = {0x13, 0x15, 0x18, 0x19, 0x1B}  # SplitInt32/Int64/Real32/Real64/Index64
    for compression, target in targets.items():
        ntuple = uproot.open(target)["sample"]
        assert set(ntuple.keys(recursive=False)) == branches
        columns = {record.type for record in ntuple.column_records}
        assert bool(columns & split_types) == (compression != "none"), compression


def test_vectors_strings_nested_vectors_and_leaf_lists(tmp_path):
    files = [("uproot-small-evnt-tree-fullsplit.root", "tree"), ("uproot-vectorVectorDouble.root", "t"),
             ("uproot-leaflist.root", "tree"), ("uproot-HZZ-lz4.root", "events")]
    check_copies([(ROOT_DATA / file, tree, tmp_path / f"copy-{file}", [], ()) for file, tree in files])


def test_nanoaod_copy_matches_rntuple_importer_schema(tmp_path):
    """The shared NanoAOD file as an RNTuple: every value as in the TTree (uproot; ROOT's
    RDataFrame for a sample of the fields), and every field that the shared
    RNTupleImporter sibling also has has the same C++ type there. (The sibling holds other
    events of the same dataset, so values can only be compared with the TTree.)"""
    source = ROOT_DATA / "nanoAOD_2015_CMS_Open_Data_ttbar.root"
    target = tmp_path / "nano.root"
    # ROOT compiles code per field to show them: for the 947 fields here RDataFrame reads a
    # few (every type is shown in the tests above) and RNTupleReader opens the whole schema.
    [names] = check_copies([(source, "Events", target, ["--entries", "0:50"],
                             ("nMuon", "Muon_pt", "Jet_btagDeepB", "Muon_tightId", "HLT_IsoMu20", "event"))], show=False)
    sibling_path = SHARED / "data" / "rntuple" / "cmsopendata2015_ttbar_19980_NANOAOD_RNTupleImporter_rntuple_v1-0-0-1.root"

    def top_level_types(path):
        records = uproot.open(path)["Events"].field_records
        return {r.field_name: r.type_name for i, r in enumerate(records) if r.parent_field_id == i}

    ours, theirs = top_level_types(target), top_level_types(sibling_path)
    common = sorted(set(ours) & set(theirs))
    assert len(common) > 900, len(common)
    # The importer's counters are RNTupleCardinality<std::uint32_t> projections; Kaon keeps
    # the tree's UInt_t counter as a std::uint32_t field.
    cardinalities = {name for name in common if theirs[name] == "ROOT::RNTupleCardinality<std::uint32_t>"}
    assert cardinalities and all(ours[name] == "std::uint32_t" for name in cardinalities)
    mismatched = [(name, ours[name], theirs[name]) for name in common if name not in cardinalities and ours[name] != theirs[name]]
    assert not mismatched, mismatched[:10]


def test_several_clusters_and_kaon_reads_its_own_copy(tmp_path):
    """A generated tree of 40 000 entries in clusters of 200 kB: several clusters, offsets
    restarting in each; ROOT, uproot and Kaon's reader agree with the input."""
    rng = np.random.default_rng(18)
    count = rng.integers(0, 5, 40_000).astype(np.int32)
    source = tmp_path / "generated.root"
    data = {
        "x": rng.normal(size=count.size),
        "flag": rng.integers(0, 2, count.size).astype(np.bool_),
        "small": rng.integers(-100, 100, count.size).astype(np.int16),
        "big": rng.integers(-2**60, 2**60, count.size),
        "Jet": ak.zip({"pt": ak.unflatten(rng.exponential(30, count.sum()).astype(np.float32), count),
                       "id": ak.unflatten(rng.integers(0, 1000, count.sum()).astype(np.uint32), count)}),
    }
    with uproot.recreate(source) as file:
        # mktree: a TTree (nJet, Jet_pt[nJet], Jet_id[nJet]), whatever uproot's default for a dict.
        file.mktree("t", {name: value.type.content if isinstance(value, ak.Array) else value.dtype
                          for name, value in data.items()})
        file["t"].extend(data)
    target = tmp_path / "generated-rntuple.root"
    names = fields_of(source, "t")
    copy_as_rntuple(source, target, "--cluster-size", "200000")
    clusters = uproot.open(target)["t"].cluster_summaries
    assert len(clusters) >= 5, len(clusters)
    expected = tree_values(source, "t", names)
    arrays = uproot.open(target)["t"].arrays(names, library="ak")
    [reading] = root([("t", target, ())])
    shown = reading["show"]
    for name in names:
        assert_same(expected[name], ak.to_list(arrays[name]), f"uproot, {name}")
        assert_same(expected[name], [entry[name] for entry in shown], f"RNTupleReader, {name}")
    # Kaon's reader: the RNTuple reads as the tree does, entry ranges across clusters too.
    for entries in ("0:40000", "12345:27001"):
        for name in ("nJet", "Jet_pt", "x", "flag", "big"):
            tree = json.loads(kaon("dump", f"{source}:t", "-b", name, "--entries", entries).stdout)
            ntuple = json.loads(kaon("dump", f"{target}:t", "-b", name, "--entries", entries).stdout)
            assert tree == ntuple, f"kaon dump {name} {entries}"


def test_copy_refuses_cluster_size_without_rntuple(tmp_path):
    result = kaon("copy", SAMPLE, tmp_path / "x.root", "--cluster-size", "1000", check=False)
    assert result.returncode == 64
    assert "--cluster-size applies to --rntuple output only" in result.stderr
