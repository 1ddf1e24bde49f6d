"""RNTuples from Python (issues 15 and 18): `kaon.open(path)["Events"]` is an RNTuple object
with the same reading interface as a TTree (keys = top-level fields, num_entries, arrays with
entry ranges and cuts, iterate), read by Kaon's Swift RNTuple reader.

Ground truth is uproot's reading of the shared RNTuple files, which ROOT wrote. Both arrays
are reduced to rntuple_reference.py's canonical leaves (per leaf: the item counts of every
nesting level and the flat values), since the two readers lay records and options out
differently; values must be identical (NaN where uproot has NaN). One known difference of
types: uproot reads `ROOT::RNTupleCardinality<std::uint32_t>` fields (NanoAOD's `nMuon` …) as
int64; Kaon gives the type's own uint32 (as ROOT's RNTupleReader does), so for those the
values are compared, and the dtype is checked against the type name."""
import awkward as ak
import numpy as np
import pytest
import uproot

import kaon
from conftest import shared_files
from rntuple_reference import leaves

# test_int_multicluster holds 100M entries in one cluster: Kaon reads whole clusters (page
# selection within a cluster is still to come), so its slices are checked by the CLI's tests
# (test_rntuple.py) and not again here.
FILES = [path for path in shared_files("rntuple") if not path.name.startswith("test_int_multicluster")]
MUONS = next(path for path in FILES if path.name.startswith("Run2012BC_DoubleMuParked_Muons"))
ENTRIES = 1000


def ntuple_name(path):
    with uproot.open(path) as file:
        return next(key.split(";")[0] for key, classname in file.classnames().items() if classname == "ROOT::RNTuple")


def canonical(array):
    out = {}
    leaves(array.layout, "", [], out)
    return out


CARDINALITY_DTYPES = {"ROOT::RNTupleCardinality<std::uint32_t>": np.uint32, "ROOT::RNTupleCardinality<std::uint64_t>": np.uint64}


def assert_same_leaves(mine, theirs, where, cardinality=None):
    assert mine.keys() == theirs.keys(), where
    for leaf, (levels, values) in theirs.items():
        got_levels, got_values = mine[leaf]
        assert got_levels == levels, f"{where} {leaf}: nesting differs"
        if isinstance(values, list):  # strings
            assert got_values == values, f"{where} {leaf}"
            continue
        got, expected = np.asarray(got_values), np.asarray(values)
        if cardinality is not None:
            assert got.dtype == cardinality, where
            expected = expected.astype(cardinality)
        assert got.dtype == expected.dtype, f"{where} {leaf}: {got.dtype} vs {expected.dtype}"
        assert np.array_equal(got, expected, equal_nan=expected.dtype.kind == "f"), f"{where} {leaf}"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_field_equals_uproot(path):
    name = ntuple_name(path)
    ntuple = kaon.open(path)[name]
    with uproot.open(path) as file:
        reference = file[name]
        fields = reference.keys(recursive=False)
        assert ntuple.classname == "ROOT::RNTuple"
        assert ntuple.keys() == fields
        assert ntuple.num_entries == reference.num_entries
        mine = ntuple.arrays(entry_stop=ENTRIES, decompression_threads=2)
        types = ntuple.typenames()
        for field in fields:
            theirs = reference[field].array(library="ak", entry_stop=ENTRIES)
            assert_same_leaves(canonical(mine[field]), canonical(theirs), f"{path.name}:{field}",
                               CARDINALITY_DTYPES.get(types[field]))


def test_entry_ranges_cuts_and_iterate_follow_uproot():
    ntuple = kaon.open(MUONS)["Events"]
    reference = uproot.open(MUONS)["Events"].arrays(["nMuon", "Muon_pt"])
    part = ntuple.arrays(["Muon_pt"], entry_start=-300, entry_stop=900)
    assert ak.to_list(part["Muon_pt"]) == ak.to_list(reference["Muon_pt"][-300:900])
    selected = ntuple.arrays(["nMuon", "Muon_pt"], cut="(nMuon >= 2) & (Muon_pt[:, 0] > 20)")
    keep = (reference["nMuon"] >= 2) & (ak.fill_none(ak.firsts(reference["Muon_pt"]), 0) > 20)
    assert ak.to_list(selected["Muon_pt"]) == ak.to_list(reference["Muon_pt"][keep])
    chunks = list(ntuple.iterate(["nMuon"], step_size=300, library="np"))
    assert [len(chunk["nMuon"]) for chunk in chunks] == [300, 300, 300, 100]
    assert np.concatenate([chunk["nMuon"] for chunk in chunks]).tolist() == reference["nMuon"].tolist()


def test_an_unknown_field_is_a_key_error():
    with pytest.raises(kaon.KeyInFileError, match="Muon_ptt"):
        kaon.open(MUONS)["Events"].arrays(["Muon_ptt"])
