"""`kaon run ANALYSIS.adl` (the ADL language, CutLang's dialect) against independent uproot +
awkward + vector implementations of the same cuts, bin for bin, flow bins included.

1. CutLang's tutorials whose objects exist in NanoAOD (ex00 hello world, ex03 Z → ll object
   reconstruction, ex08 loops and reducers, ex09 sorting) run on the 2015 CMS Open Data
   ttbar NanoAOD file and on the ADL benchmark's 1000 events: every histogram and every
   cut-flow count equals the peer's.
2. examples/adl/q1.adl … q8.adl (the eight IRIS-HEP ADL benchmark queries written in ADL)
   equal the uproot + awkward + vector queries of benchmarks/adl/uproot_adl.py on a generated
   20k-event sample (the Swift Testing suite KaonADLLanguageTests compares them with
   `kaon adl` on the published 1000 events).

The peers compute in float64 from the files' float32 values, as Kaon does, and fill
boost-histogram (`hist`) axes, whose bin lookup Kaon's axes share.
"""
import json
import subprocess
import sys

import awkward as ak
import hist
import numpy as np
import pytest
import uproot
import vector

from conftest import REPO, SHARED, kaon

sys.path.insert(0, str(REPO / "benchmarks" / "adl"))
import uproot_adl  # noqa: E402
from uproot_adl import BINNINGS, BRANCHES  # noqa: E402

vector.register_awkward()

TUTORIALS = SHARED / "data" / "adl-lang" / "cutlang" / "tutorials"
FILES = {
    "ttbar": SHARED / "data" / "root" / "nanoAOD_2015_CMS_Open_Data_ttbar.root",
    "adl1000": SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root",
}


def run_adl(adl, data, out):
    """Runs an ADL file on one file; returns (histograms by name, cut-flow rows of sample 'data')."""
    kaon("run", adl, "--files", data, "-o", out, "--threads", 2)
    histograms = {name: h["nominal"] for name, h in json.loads((out / "results.json").read_text())["data"].items()}
    rows = json.loads((out / "cutflow.json").read_text())["data"]["rows"]
    return histograms, rows


def region_counts(rows, region):
    return [row["raw"] for row in rows if row["name"].startswith(region + "/")]


def load(path):
    """Jets, muons, electrons (float64 four-vectors with charge) and MET of a file."""
    t = uproot.open(path)["Events"]

    def objects(prefix, charge):
        fields = {k: ak.values_astype(t[f"{prefix}_{k}"].array(), np.float64) for k in ["pt", "eta", "phi", "mass"]}
        if charge:
            fields["charge"] = ak.values_astype(t[f"{prefix}_charge"].array(), np.float64)
        return ak.zip(fields, with_name="Momentum4D")

    met = ak.zip({"pt": ak.values_astype(t["MET_pt"].array(), np.float64),
                  "phi": ak.values_astype(t["MET_phi"].array(), np.float64)})
    return objects("Jet", False), objects("Muon", True), objects("Electron", True), met


def filled(axes, *values):
    """The flow-inclusive counts of a histogram over `axes` filled with `values`."""
    h = hist.Hist(*axes, storage=hist.storage.Weight())
    h.fill(*[np.asarray(ak.to_numpy(v), dtype=np.float64) for v in values])
    return h.values(flow=True)


def regular(n, lo, hi):
    return hist.axis.Regular(n, lo, hi)


def assert_histogram(kaon_histograms, name, expected):
    got = np.array(kaon_histograms[name]["storage"]["values"], dtype=np.float64)
    assert got.shape == expected.shape, name
    assert got.tolist() == expected.tolist(), f"{name}: bins differ at {np.argwhere(got != expected).tolist()}"


def padded(values, i):
    """Element i of each list, or None where the list is shorter."""
    return ak.pad_none(values, i + 1)[:, i]


def flow_values(h):
    """`values` as written in results.json: with flow bins, in C order."""
    return np.array(h["storage"]["values"], dtype=np.float64)


@pytest.mark.parametrize("data", list(FILES))
def test_ex00_hello_world(data, tmp_path):
    histograms, rows = run_adl(TUTORIALS / "ex00_helloworld.adl", FILES[data], tmp_path)
    jets, _, _, _ = load(FILES[data])
    good = jets[(jets.pt > 30) & (abs(jets.eta) < 2.4)]
    n = len(jets)
    size = ak.num(good)
    pt = [padded(good.pt, i) for i in range(3)]
    cuts = [np.ones(n, bool), ak.to_numpy(size > 3)]
    cuts.append(cuts[-1] & ak.to_numpy(ak.fill_none(pt[0] > 300, False)))
    cuts.append(cuts[-1] & ak.to_numpy(ak.fill_none(pt[1] > 200, False)))
    cuts.append(cuts[-1] & ak.to_numpy(ak.fill_none(pt[2] > 100, False)))
    assert region_counts(rows, "preselection") == [int(c.sum()) for c in cuts]
    keep = cuts[-1]
    assert_histogram(histograms, "preselection/hnjets", filled([regular(20, 0, 20)], size[keep]))
    assert_histogram(histograms, "preselection/hjet1pt", filled([regular(50, 0, 1000)], pt[0][keep]))
    assert_histogram(histograms, "preselection/hjet2pt", filled([regular(50, 0, 1000)], pt[1][keep]))


@pytest.mark.parametrize("data", list(FILES))
def test_ex03_z_to_ll(data, tmp_path):
    histograms, rows = run_adl(TUTORIALS / "ex03_objreco.adl", FILES[data], tmp_path)
    _, muons, electrons, _ = load(FILES[data])
    for region, leptons, names in [("Zmmsel", muons, ("hZmmcandM", "hZmmcandPT", "hZmmcandMvsPT")),
                                   ("Zeesel", electrons, ("hZeecandM", "hZeecandPT", "hZeecandMvsPT"))]:
        two = ak.to_numpy(ak.num(leptons) == 2)
        pair = ak.pad_none(leptons, 2)
        opposite = two & ak.to_numpy(ak.fill_none(pair.charge[:, 0] + pair.charge[:, 1] == 0, False))
        z = pair[:, 0] + pair[:, 1]
        mass = ak.to_numpy(ak.fill_none(z.mass, np.nan))
        window = opposite & (mass >= 70) & (mass <= 110)
        assert region_counts(rows, region) == [len(two), int(two.sum()), int(opposite.sum()), int(window.sum())]
        zs = z[opposite]
        assert_histogram(histograms, f"{region}/{names[0]}", filled([regular(50, 50, 150)], zs.mass))
        assert_histogram(histograms, f"{region}/{names[1]}", filled([regular(50, 0, 250)], zs.pt))
        assert_histogram(histograms, f"{region}/{names[2]}", filled([regular(25, 50, 150), regular(25, 0, 250)], zs.mass, zs.pt))


@pytest.mark.parametrize("data", list(FILES))
def test_ex08_loops_and_reducers(data, tmp_path):
    _, rows = run_adl(TUTORIALS / "ex08_objloopsreducers.adl", FILES[data], tmp_path)
    jets, _, _, met = load(FILES[data])

    def dr_to_met(j):
        dphi = (j.phi - met.phi + np.pi) % (2 * np.pi) - np.pi
        return np.sqrt(j.eta ** 2 + dphi ** 2)

    def minimum(values):
        return ak.to_numpy(ak.fill_none(ak.min(values, axis=1), np.nan))

    cuts = [ak.to_numpy(ak.num(jets) >= 5)]
    cuts.append(cuts[-1] & ak.to_numpy(ak.sum(jets.pt, axis=1) >= 200))
    cuts.append(cuts[-1] & (minimum(dr_to_met(jets)) > 0.3))
    cuts.append(cuts[-1] & (minimum(dr_to_met(jets[:, :3])) > 0.5))   # JET[:2]: indices 0, 1, 2
    cuts.append(cuts[-1] & (minimum(dr_to_met(jets[:, 3:5])) > 0.4))  # JET[3:4]: indices 3, 4
    assert region_counts(rows, "signal") == [int(c.sum()) for c in cuts]


@pytest.mark.parametrize("data", list(FILES))
def test_ex09_sort(data, tmp_path):
    histograms, rows = run_adl(TUTORIALS / "ex09_sort.adl", FILES[data], tmp_path)
    jets, _, _, _ = load(FILES[data])
    keep = ak.to_numpy(ak.num(jets) >= 4)
    assert region_counts(rows, "baseline") == [int(keep.sum())]
    j = jets[keep]
    # Stable sorts, as Kaon's: equal keys keep the file's order.
    ascending_pt = j[ak.argsort(j.pt, ascending=True, stable=True)]
    descending_m = ascending_pt[ak.argsort(ascending_pt.mass, ascending=False, stable=True)]
    ascending_m = descending_m[ak.argsort(descending_m.mass, ascending=True, stable=True)]
    for names, collection in [(("hj1pt", "hj1m"), j), (("hj1ptjptascend", "hj1mjptascend"), ascending_pt),
                              (("hj1ptjmdescend", "hj1mjmdescend"), descending_m), (("hj1ptjmascend", "hj1mjmascend"), ascending_m)]:
        assert_histogram(histograms, f"baseline/{names[0]}", filled([regular(40, 0, 1000)], collection.pt[:, 0]))
        assert_histogram(histograms, f"baseline/{names[1]}", filled([regular(40, 0, 500)], collection.pt[:, 0]))


@pytest.fixture(scope="module")
def generated_sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("adl-language") / "adl-20000.root"
    subprocess.run([sys.executable, str(SHARED / "tools" / "make_adl_sample.py"), "--events", "20000",
                    "--out", str(path), "--compression", "zstd:5"], check=True, capture_output=True)
    return path


QUERIES = [("q1", "q1/met", "q1"), ("q2", "q2/jetpt", "q2"), ("q3", "q3/jetpt", "q3"), ("q4", "q4/met", "q4"),
           ("q5", "q5/met", "q5"), ("q6", "q6/pt", "q6pt"), ("q6", "q6/btag", "q6btag"), ("q7", "q7/ht", "q7"),
           ("q8", "q8/mt", "q8")]


def test_benchmark_queries_in_adl_match_uproot_on_a_generated_sample(generated_sample, tmp_path):
    events = uproot.open(generated_sample)["Events"].arrays(BRANCHES)
    reference = {key: ak.to_numpy(v) for key, v in uproot_adl.queries(events, "root-project").items()}
    results = {}
    for example, name, key in QUERIES:
        if example not in results:
            results[example], _ = run_adl(REPO / "examples" / "adl" / f"{example}.adl", generated_sample, tmp_path / example)
        lower, upper = BINNINGS["root-project"][key]
        expected = uproot_adl.counts(reference[key], lower, upper)
        got = flow_values(results[example][name])
        assert expected.sum() > 0, key
        assert got.tolist() == expected.astype(np.float64).tolist(), f"{key}: bins differ at {np.nonzero(got != expected)[0].tolist()}"


def test_check_reports_errors_with_their_place(tmp_path):
    good = kaon("run", REPO / "examples" / "adl" / "q8.adl", "--check")
    assert "OK" in good.stdout and "q8" in good.stdout
    bad = tmp_path / "bad.adl"
    bad.write_text("object good : Muo\n  select pT(Muo) > 20\nregion r\n  select size(goood) >= 2\n")
    failed = kaon("run", bad, "--check", check=False)
    assert failed.returncode == 1
    assert f"{bad}:4:15: error: unknown name 'goood'" in failed.stderr
    assert "  select size(goood) >= 2\n" in failed.stderr and "\n" + " " * 16 + "^" in failed.stderr
    usage = kaon("run", bad, check=False)
    assert usage.returncode == 64 and "--files" in usage.stderr
    mixed = kaon("run", bad, "--analysis", "dimuon", "--check", check=False)
    assert mixed.returncode == 64


def test_samples_file_runs_every_sample_like_files(tmp_path):
    adl = REPO / "examples" / "adl" / "q7.adl"
    (tmp_path / "samples.yml").write_text(
        "luminosity: 1\ntree: Events\nsamples:\n"
        f"  first: {{files: [\"{FILES['adl1000']}\"], type: data}}\n"
        f"  second: {{files: [\"{FILES['ttbar']}\"], type: data}}\n")
    kaon("run", adl, "--samples", tmp_path / "samples.yml", "-o", tmp_path / "samples", "--threads", 2)
    by_sample = json.loads((tmp_path / "samples" / "results.json").read_text())
    for sample, data in [("first", "adl1000"), ("second", "ttbar")]:
        alone, _ = run_adl(adl, FILES[data], tmp_path / data)
        expected = alone["q7/ht"]["storage"]["values"]
        assert sum(expected) > 0
        assert by_sample[sample]["q7/ht"]["nominal"]["storage"]["values"] == expected
