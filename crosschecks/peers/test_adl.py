"""`kaon adl` against an independent uproot + awkward + vector implementation of the eight
ADL benchmark queries (benchmarks/adl/uproot_adl.py, the same code the benchmark times), on a generated 20k-event sample with the schema of the CMS Open Data
Run2012B SingleMu file: every bin, under- and overflow included, of every histogram must
be equal, for 1 and 2 threads and both binnings. A second peer, PyROOT RDataFrame over the
C++ query functions of benchmarks/adl/adl_queries.h, must give the same bins too.

The reference follows the rules in shared/notes/adl-benchmark.md (strict cuts, ROOT's
treatment of negative masses, lexicographic combinations with the first winning ties,
muons before electrons in Q8) and computes in float64 from the files' float32 values."""
import json
import subprocess
import sys
from pathlib import Path

import awkward as ak
import numpy as np
import pytest
import uproot

from conftest import REPO, SHARED, kaon, kaon_json

sys.path.insert(0, str(REPO / "benchmarks" / "adl"))
import uproot_adl  # noqa: E402  (registers vector's awkward behaviours)
from uproot_adl import BINNINGS, BRANCHES  # noqa: E402

EVENTS = 20_000
KEYS = ["q1", "q2", "q3", "q4", "q5", "q6pt", "q6btag", "q7", "q8"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("adl") / f"adl-{EVENTS}.root"
    subprocess.run([sys.executable, str(SHARED / "tools" / "make_adl_sample.py"), "--events", str(EVENTS),
                    "--out", str(path), "--compression", "zstd:5"], check=True, capture_output=True)
    return path


def reference_values(path, binning):
    """Per histogram, the flat array of values filled (NaN never occurs here)."""
    events = uproot.open(path)["Events"].arrays(BRANCHES)
    return {key: ak.to_numpy(values) for key, values in uproot_adl.queries(events, binning).items()}


@pytest.fixture(scope="module")
def references(sample):
    return {binning: reference_values(sample, binning) for binning in BINNINGS}


@pytest.mark.parametrize("binning", list(BINNINGS))
@pytest.mark.parametrize("threads", [1, 2])
def test_adl_matches_uproot_awkward_vector(sample, references, binning, threads):
    result = kaon("adl", sample, "--binning", binning, "--threads", threads, "--block-size", 4000, "--json")
    assert f"{EVENTS} events" in result.stderr
    histograms = json.loads(result.stdout)
    assert list(histograms) == KEYS
    for key in KEYS:
        h = histograms[key]
        lower, upper = BINNINGS[binning][key]
        axis = h["axes"][0]
        assert (axis["lower"], axis["upper"], axis["bins"], axis["underflow"], axis["overflow"]) == (lower, upper, 100, True, True)
        expected = uproot_adl.counts(references[binning][key], lower, upper)
        got = np.array(h["storage"]["values"])
        assert expected.sum() > 0, key
        assert got.tolist() == expected.tolist(), f"{key}: bins differ at {np.nonzero(got != expected)[0].tolist()}"


def test_single_queries_match_the_one_pass(sample):
    everything = kaon_json("adl", sample, "--json")
    for query, keys in [("q1", ["q1"]), ("q5", ["q5"]), ("q6", ["q6pt", "q6btag"]), ("q8", ["q8"])]:
        alone = kaon_json("adl", sample, "--query", query, "--json")
        assert list(alone) == keys
        for key in keys:
            assert alone[key]["storage"]["values"] == everything[key]["storage"]["values"]


def rdataframe_counts(path, binning):
    """The queries as PyROOT RDataFrame Defines over the C++ functions of
    benchmarks/adl/adl_queries.h (jitted by cling): per histogram, the counts with flow."""
    ROOT = pytest.importorskip("ROOT")
    header = Path(__file__).resolve().parents[2] / "benchmarks" / "adl" / "adl_queries.h"
    if not hasattr(ROOT, "adl"):
        assert ROOT.gInterpreter.Declare(f'#include "{header}"')
    paper = "true" if binning == "paper" else "false"
    df = ROOT.RDataFrame("Events", str(path))
    muons = "Muon_pt, Muon_eta, Muon_phi, Muon_mass, Muon_charge"
    electrons = "Electron_pt, Electron_eta, Electron_phi, Electron_mass, Electron_charge"
    d = (df.Define("q1", "MET_pt").Define("q2", "Jet_pt")
         .Define("q3", "adl::q3(Jet_pt, Jet_eta)")
         .Define("q4", "adl::q4(Jet_pt, MET_pt)")
         .Define("q5", f"adl::q5({muons}, MET_pt)")
         .Define("q6", "adl::q6(Jet_pt, Jet_eta, Jet_phi, Jet_mass, Jet_btag)")
         .Define("q6pt", "q6.empty() ? ROOT::RVecD{} : ROOT::RVecD{q6[0]}")
         .Define("q6btag", "q6.empty() ? ROOT::RVecD{} : ROOT::RVecD{q6[1]}")
         .Define("q7", f"adl::q7(Jet_pt, Jet_eta, Jet_phi, Muon_pt, Muon_eta, Muon_phi, "
                       f"Electron_pt, Electron_eta, Electron_phi, {paper})")
         .Define("q8", f"adl::q8({muons}, {electrons}, MET_pt, MET_phi)"))
    histograms = {key: d.Histo1D(("h" + key, "", 100, *map(float, BINNINGS[binning][key])), key) for key in KEYS}
    return {key: [int(h.GetBinContent(b)) for b in range(102)] for key, h in histograms.items()}


@pytest.mark.parametrize("binning", list(BINNINGS))
def test_adl_matches_pyroot_rdataframe(sample, binning):
    histograms = kaon_json("adl", sample, "--binning", binning, "--threads", 2, "--block-size", 4000, "--json")
    expected = rdataframe_counts(sample, binning)
    for key in KEYS:
        got = histograms[key]["storage"]["values"]
        assert sum(got) > 0, key
        assert got == expected[key], f"{key}: bins differ at {[i for i, (a, b) in enumerate(zip(got, expected[key])) if a != b]}"


def test_help_and_errors():
    text = kaon("adl", "--help").stdout
    assert "USAGE" in text and "Examples" in text and "paper" in text and "q6btag" in text
    for args, needle in [(["/nonexistent.root"], "/nonexistent.root"),
                         ([SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root", "--query", "q9"], "--query"),
                         ([SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root", "--binning", "x"], "--binning"),
                         ([SHARED / "data" / "root" / "uproot-HZZ.root", "--tree", "events"], "MET_pt")]:
        result = kaon("adl", *args, check=False)
        assert result.returncode != 0
        assert needle in result.stderr, result.stderr
        assert "Fatal error" not in result.stderr and "Stack dump" not in result.stderr
