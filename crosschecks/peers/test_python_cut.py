"""`tree.arrays(cut=...)` in the `kaon` Python package (issue 15) against uproot: the same cut
strings (uproot's Python syntax, evaluated by Kaon's expression engine) select the same
entries — or, jagged, the same list items with library="ak" — for library="np" and "ak" and
for entry ranges. Cuts uproot cannot evaluate on arrays (chained comparisons, x[:, k] with
short lists) are compared with NumPy/awkward written out by hand; constructs Kaon's engine
cannot evaluate raise NotImplementedError naming them, never silently ignored.

The package must be installed in this interpreter (`make test` does it)."""
import awkward as ak
import numpy as np
import pytest
import uproot

import kaon
from conftest import SHARED

ADL = SHARED / "data" / "root" / "root-6.40-adl-2000-zstd.root"
NANO = SHARED / "data" / "root" / "nanoAOD_2015_CMS_Open_Data_ttbar.root"

PER_ENTRY_CUTS = [
    (ADL, "nMuon >= 2"),
    (ADL, "(nMuon >= 2) & (MET_pt > 20)"),
    (ADL, "(nJet > 3) | ~(MET_pt < 30)"),
    (ADL, "sqrt(MET_pt**2 + 1) > 25.5"),
    (ADL, "logical_and(nJet >= 2, abs(MET_phi) < 1.5)"),
    (ADL, "(MET_pt / (1 + nJet)) % 7 < 3"),
    (ADL, "HLT_IsoMu24"),
    (ADL, "(run == 195916) | (event % 3 == 1)"),
    (NANO, "(nElectron + nMuon == 1) & (PuppiMET_pt >= 25)"),
    (NANO, "arctan2(PuppiMET_phi, 1) > 0"),
]


@pytest.mark.parametrize("path,cut", PER_ENTRY_CUTS, ids=[cut for _, cut in PER_ENTRY_CUTS])
@pytest.mark.parametrize("library", ["np", "ak"])
def test_per_entry_cut_selects_what_uproot_selects(path, cut, library):
    tree, reference = kaon.open(path)["Events"], uproot.open(path)["Events"]
    branches = ["nJet", "MET_pt", "Jet_pt"] if path == ADL else ["nJet", "Jet_pt", "PuppiMET_pt"]
    ours = tree.arrays(branches, cut=cut, library=library)
    theirs = reference.arrays(branches, cut=cut, library=library)
    if library == "ak":
        assert ours.tolist() == theirs.tolist()
        assert str(ours.type) == str(theirs.type)
    else:
        for name in branches:
            assert len(ours[name]) == len(theirs[name]), name
            for a, b in zip(ours[name], theirs[name]):
                np.testing.assert_array_equal(a, b, err_msg=name)
    # The cut must select something and reject something, or it tells nothing.
    assert 0 < len(theirs[branches[0]]) < reference.num_entries


SAMPLE = SHARED / "data" / "root" / "uproot-sample-6.20.04-uncompressed.root"


@pytest.mark.parametrize("branch", ["b", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8"])
def test_every_primitive_type_compares_like_numpy(branch):
    """A cut on a branch of each primitive type against its median (values are converted to
    double by Kaon's engine; uint64 once came out as its bit pattern)."""
    reference = uproot.open(SAMPLE)["sample"]
    median = float(np.median(reference[branch].array(library="np")))
    cut = f"{branch} >= {median!r}" if branch != "b" else "b"
    ours = kaon.open(SAMPLE)["sample"].arrays(["n"], cut=cut, library="np")["n"]
    theirs = reference.arrays(["n"], cut=cut, library="np")["n"]
    np.testing.assert_array_equal(ours, theirs)
    assert 0 < len(theirs) < reference.num_entries


@pytest.mark.parametrize("start,stop", [(0, 500), (1234, None), (-700, -100)])
def test_cut_over_an_entry_range(start, stop):
    cut = "(nMuon >= 1) & (MET_pt > 15)"
    ours = kaon.open(ADL)["Events"].arrays(["MET_pt", "nMuon"], cut=cut, entry_start=start, entry_stop=stop, library="np")
    theirs = uproot.open(ADL)["Events"].arrays(["MET_pt", "nMuon"], cut=cut, entry_start=start, entry_stop=stop, library="np")
    for name in ("MET_pt", "nMuon"):
        np.testing.assert_array_equal(ours[name], theirs[name])
        assert ours[name].dtype == theirs[name].dtype


@pytest.mark.parametrize("cut", ["Muon_pt > 20", "(Muon_pt > 20) & (abs(Muon_eta) < 2.1)", "Muon_charge * Muon_pt > 0"])
def test_jagged_cut_selects_list_items_like_uproot(cut):
    branches = ["Muon_pt", "Muon_eta", "Muon_charge"]
    ours = kaon.open(ADL)["Events"].arrays(branches, cut=cut, library="ak")
    theirs = uproot.open(ADL)["Events"].arrays(branches, cut=cut, library="ak")
    assert ours.tolist() == theirs.tolist()
    assert ak.sum(ak.num(theirs.Muon_pt)) < ak.sum(ak.num(uproot.open(ADL)["Events"]["Muon_pt"].array()))
    with pytest.raises(NotImplementedError, match="library='ak'"):
        kaon.open(ADL)["Events"].arrays(branches, cut=cut, library="np")


def test_cuts_uproot_cannot_evaluate_are_compared_with_awkward():
    events = uproot.open(ADL)["Events"].arrays(["MET_pt", "Muon_eta", "nMuon"])
    tree = kaon.open(ADL)["Events"]
    # A chained comparison: Python's `and` on arrays, which uproot refuses; here it is the
    # two comparisons joined.
    chained = tree.arrays(["MET_pt"], cut="10 < MET_pt <= 40", library="np")["MET_pt"]
    np.testing.assert_array_equal(chained, events.MET_pt[(events.MET_pt > 10) & (events.MET_pt <= 40)].to_numpy())
    # x[:, k] where some lists are shorter: none, which does not pass (uproot raises IndexError).
    first = tree.arrays(["MET_pt"], cut="abs(Muon_eta[:, 0]) < 1", library="np")["MET_pt"]
    keep = ak.fill_none(abs(ak.firsts(events.Muon_eta)) < 1, False)
    np.testing.assert_array_equal(first, events.MET_pt[keep].to_numpy())
    assert 0 < len(first) < int(ak.sum(events.nMuon > 0))


@pytest.mark.parametrize("cut,needle", [
    ("Jet_pt[0] > 30", "x[:, k]"),
    ("erf(MET_pt) > 0", "function erf"),
    ("MET_pt in (1, 2)", "comparison operator"),
    ("MET_pt ^ 2", "BinOp"),
    ("[MET_pt]", "List"),
])
def test_unsupported_constructs_raise(cut, needle):
    with pytest.raises(NotImplementedError, match=needle.replace("[", r"\[").replace("]", r"\]")) as raised:
        kaon.open(ADL)["Events"].arrays(["MET_pt"], cut=cut)
    assert str(ADL) in str(raised.value) and "Events" in str(raised.value)


def test_cut_errors_name_the_branch():
    with pytest.raises(KeyError, match="NoSuchBranch"):
        kaon.open(ADL)["Events"].arrays(["MET_pt"], cut="NoSuchBranch > 1")
    with pytest.raises(SyntaxError):
        kaon.open(ADL)["Events"].arrays(["MET_pt"], cut="MET_pt >")
