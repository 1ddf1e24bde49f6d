"""The kaon CLI as a user meets it: listings equal uproot's, CSV output, clear errors with a
non-zero exit status, and --help as the manual."""
import csv
import io

import awkward as ak
import pytest
import uproot

from conftest import SHARED, kaon, kaon_json, shared_files

ROOT_DATA = SHARED / "data" / "root"


@pytest.mark.parametrize("path", shared_files("root"), ids=lambda p: p.name)
def test_ls_lists_what_uproot_lists(path):
    expected = {(key, cls) for key, cls in uproot.open(path).classnames().items()}
    listed = set()
    for line in kaon("ls", path).stdout.splitlines():
        key, cls, _title = line.split("\t")
        listed.add((key, cls))
    assert listed == expected


def test_ls_json_has_titles():
    entries = kaon_json("ls", ROOT_DATA / "uproot-nesteddirs.root", "--json")
    titles = {e["path"]: e["title"] for e in entries}
    assert titles["one/two/tree"] == "my tree title"


def test_dump_csv_matches_uproot():
    path = ROOT_DATA / "uproot-HZZ.root"
    out = kaon("dump", f"{path}:events", "-b", "NMuon", "-b", "MET_px", "-b", "Muon_Px", "--entries", "0:50",
               "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    tree = uproot.open(path)["events"]
    assert [int(r["NMuon"]) for r in rows] == tree["NMuon"].array(entry_stop=50).tolist()
    import json
    import numpy as np
    assert all(np.float32(float(r["MET_px"])) == v for r, v in zip(rows, tree["MET_px"].array(entry_stop=50)))
    expected = ak.to_list(tree["Muon_Px"].array(entry_stop=50))
    assert [[np.float32(x) for x in json.loads(r["Muon_Px"])] for r in rows] == \
        [[np.float32(x) for x in e] for e in expected]


@pytest.mark.parametrize("args,needle", [
    (["ls", "/nonexistent/file.root"], "/nonexistent/file.root"),
    (["ls", str(SHARED / "README.md")], "not a ROOT file"),
    (["dump", f"{ROOT_DATA / 'uproot-HZZ.root'}:nothere"], "no object named nothere"),
    (["dump", f"{ROOT_DATA / 'uproot-HZZ.root'}:events", "-b", "nobranch"], "no branch named nobranch"),
    (["show", f"{ROOT_DATA / 'root-6.40-histograms.root'}:variations/nominal"], "not a TTree"),
    (["dump", f"{ROOT_DATA / 'uproot-HZZ.root'}:events", "--entries", "x:y"], "entries"),
])
def test_errors_name_the_problem_and_exit_nonzero(args, needle):
    result = kaon(*args, check=False)
    assert result.returncode != 0
    assert needle in result.stderr, result.stderr
    assert "Fatal error" not in result.stderr and "Stack dump" not in result.stderr


@pytest.mark.parametrize("command", ["ls", "show", "dump", "scan"])
def test_help_is_a_manual(command):
    text = kaon(command, "--help").stdout
    assert "USAGE" in text and "Example" in text


def test_scan_reads_every_branch_of_nanoaod():
    path = ROOT_DATA / "nanoAOD_2015_CMS_Open_Data_ttbar.root"
    result = kaon_json("scan", f"{path}:Events", "--json", "--threads", "2")
    tree = uproot.open(path)["Events"]
    assert result["entries"] == tree.num_entries
    assert result["branches"] == len([b for b in tree.branches if len(b.branches) == 0])
    assert result["uncompressed_bytes"] > 0


@pytest.mark.parametrize("path", shared_files("root"), ids=lambda p: p.name)
def test_free_segments_match_root(path, tmp_path):
    """The free-segments list (`kaon ls --free`) equals what ROOT's TFile::GetListOfFree holds.
    ROOT reads that list only when a file is opened for update, so it opens a copy, and the
    process exits without closing it (nothing is written)."""
    import shutil
    import subprocess
    import sys
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    script = ("import ROOT, sys, os; f = ROOT.TFile.Open(sys.argv[1], 'UPDATE'); "
              "print(' '.join(f'{s.GetFirst()}-{s.GetLast()}' for s in f.GetListOfFree()), flush=True); os._exit(0)")
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", script, str(copy)],
                         capture_output=True, text=True, check=True).stdout.split()
    listed = kaon_json("ls", path, "--free", "--json")
    assert [f"{s['first']}-{s['last']}" for s in listed] == out
