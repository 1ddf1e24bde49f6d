"""Running analyses from Python (issue 15 item 3): `kaon.adl`, `kaon.run`, one work item at a
time with `kaon.plan_work_items` / `kaon.run_work_item`, and `kaon.merge_partials`.

Ground truth for the ADL queries is the independent uproot + awkward + vector implementation
(benchmarks/adl/uproot_adl.py) on the real 1000-event Run2012B SingleMu file: every bin of
`kaon.adl` and of merged per-item partials must equal it, and `kaon adl --json`. The example
analysis run from Python must write what `kaon run` writes (the dimuon histograms themselves
are checked against awkward in test_demo.py), and count the entries uproot counts.

The package must be installed in this interpreter (`make test` does it); KAON_CAPI_LIBRARY
may point at another build of the library."""
import json
import sys

import numpy as np
import pytest
import uproot

import kaon
from conftest import REPO, SHARED, kaon as kaon_cli, split_provenance

sys.path.insert(0, str(REPO / "benchmarks" / "adl"))
import uproot_adl  # noqa: E402
from uproot_adl import BINNINGS, BRANCHES  # noqa: E402

ADL_FILE = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"
KEYS = ["q1", "q2", "q3", "q4", "q5", "q6pt", "q6btag", "q7", "q8"]
# Blocks of 100 entries make several work items of the file's 333-entry clusters.
BLOCK = 100


@pytest.fixture(scope="module")
def adl_reference():
    events = uproot.open(ADL_FILE)["Events"].arrays(BRANCHES)
    values = uproot_adl.queries(events, "root-project")
    return {key: uproot_adl.counts(np.asarray(values[key]), *BINNINGS["root-project"][key]) for key in KEYS}


def assert_adl_equals(histograms, reference):
    assert list(histograms) == KEYS
    for key in KEYS:
        got = histograms[key].values(flow=True)
        assert histograms[key].storage_type.__name__ == "Int64", key
        assert got.tolist() == reference[key].tolist(), f"{key}: bins differ at {np.nonzero(got != reference[key])[0].tolist()}"


@pytest.mark.parametrize("threads", [1, 2])
def test_adl_equals_uproot_and_the_cli(adl_reference, threads):
    histograms = kaon.adl(ADL_FILE, threads=threads, block_size=BLOCK)
    assert_adl_equals(histograms, adl_reference)
    cli = json.loads(kaon_cli("adl", ADL_FILE, "--json").stdout)
    for key in KEYS:
        assert histograms[key].values(flow=True).tolist() == cli[key]["storage"]["values"], key


def test_adl_query_selection():
    histograms = kaon.adl(ADL_FILE, queries=["q6", "q1"])
    assert list(histograms) == ["q1", "q6pt", "q6btag"]


def test_work_items_merge_to_the_whole_run_in_any_grouping(adl_reference):
    plan = kaon.plan_work_items(kaon.adl_spec(ADL_FILE, block_size=BLOCK))
    assert [(item["first"], item["end"]) for item in plan.items] == [(0, 333), (333, 666), (666, 1000)]
    assert plan.unreadable == []
    partials = [kaon.run_work_item(plan.spec, item) for item in plan.items]
    assert all(part[:8] == b"KAONRSLT" for part in partials)
    whole = kaon.merge_partials([plan.head, *partials])
    nested = kaon.merge_partials([kaon.merge_partials([plan.head, partials[0]]), kaon.merge_partials(partials[1:])])
    assert_adl_equals(kaon.Results(whole).adl_histograms(), adl_reference)
    assert kaon.Results(nested).adl_json() == kaon.Results(whole).adl_json()
    summary = kaon.Results(whole).summary
    assert (summary["entries"], summary["work_items"], summary["skipped"]) == (1000, 3, [])


def test_merge_errors():
    with pytest.raises(ValueError):
        kaon.merge_partials([])
    with pytest.raises(kaon.DamagedFileError, match="bad magic"):
        kaon.merge_partials([b"not results at all"])
    adl = kaon.plan_work_items(kaon.adl_spec(ADL_FILE)).head
    analysis = kaon.plan_work_items(kaon.analysis_spec([ADL_FILE], analysis="dimuon")).head
    with pytest.raises(kaon.UsageError, match="different analyses"):
        kaon.merge_partials([adl, analysis])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    kaon_cli("demo", "--output", out, "--scale", "0.05", "--threads", "2")
    return out


def test_run_writes_what_kaon_run_writes(demo, tmp_path):
    samples = demo / "data" / "samples.yml"
    kaon_cli("run", samples, "--analysis", "dimuon", "-o", tmp_path / "cli", "--threads", "2")
    results = kaon.run(samples, analysis="dimuon", threads=2)
    results.write(tmp_path / "python")
    assert (tmp_path / "python" / "cutflow.md").read_bytes() == (tmp_path / "cli" / "cutflow.md").read_bytes()
    for name in ("results.json", "cutflow.json"):
        assert split_provenance(tmp_path / "python" / name)[0] == split_provenance(tmp_path / "cli" / name)[0], name
    assert_root_histograms_equal(tmp_path / "python" / "results.root", tmp_path / "cli" / "results.root")
    entries = sum(uproot.open(path)["Events"].num_entries for path in sorted((demo / "data").glob("*.root")))
    assert results.summary["entries"] == entries
    assert sorted(results.samples) == ["DYJetsToMuMu", "QCD", "SingleMuon", "TTbar"]
    mll = results.hist("mll", "DYJetsToMuMu")
    with uproot.open(tmp_path / "cli" / "results.root") as written:
        np.testing.assert_array_equal(mll.values(flow=True), written["DYJetsToMuMu/mll"].values(flow=True))
    # One work item at a time, merged in plan order: the same outputs.
    plan = kaon.plan_work_items(kaon.analysis_spec(samples, analysis="dimuon"))
    merged = kaon.Results(kaon.merge_partials([plan.head] + [kaon.run_work_item(plan.spec, item) for item in plan.items]))
    merged.write(tmp_path / "items")
    for name in ("results.json", "cutflow.json"):
        assert split_provenance(tmp_path / "items" / name)[0] == split_provenance(tmp_path / "cli" / name)[0], name


def assert_root_histograms_equal(mine, theirs):
    with uproot.open(mine) as a, uproot.open(theirs) as b:
        # `kaon run` adds a provenance directory the Python API does not write.
        assert {k: v for k, v in a.classnames().items() if not k.startswith("provenance")} == \
            {k: v for k, v in b.classnames().items() if not k.startswith("provenance")}
        for key, classname in b.classnames().items():
            if classname.startswith("TH"):
                np.testing.assert_array_equal(a[key].values(flow=True), b[key].values(flow=True), err_msg=key)
                np.testing.assert_array_equal(a[key].variances(flow=True), b[key].variances(flow=True), err_msg=key)
                for axis_a, axis_b in zip(a[key].axes, b[key].axes):
                    np.testing.assert_array_equal(axis_a.edges(), axis_b.edges(), err_msg=key)


def test_unreadable_file_fails_or_is_skipped(demo, tmp_path):
    bad = tmp_path / "bad.root"
    bad.write_bytes(b"this is not a ROOT file" * 100)
    files = [str(demo / "data" / "SingleMuon_1.root"), str(bad)]
    with pytest.raises(kaon.KaonError, match="bad.root"):
        kaon.run(files, analysis="dimuon")
    skipped = kaon.run(files, analysis="dimuon", on_failure="skip")
    assert [entry["file"] for entry in skipped.summary["skipped"]] == [str(bad)]
    alone = kaon.run(files[:1], analysis="dimuon")
    assert skipped.histograms() == alone.histograms()
    # A work item of a file that opens but cannot be read follows the policy too.
    plan = kaon.plan_work_items(kaon.analysis_spec(files[:1], analysis="dimuon"))
    item = dict(plan.items[0], file=str(bad))
    spec = dict(plan.spec, samples=dict(plan.spec["samples"]))
    spec["samples"]["samples"] = [dict(spec["samples"]["samples"][0], files=[str(bad)])]
    with pytest.raises(kaon.KaonError, match="bad.root"):
        kaon.run_work_item(spec, item)
    partial = kaon.Results(kaon.run_work_item(dict(spec, on_failure="skip"), item))
    assert [entry["file"] for entry in partial.summary["skipped"]] == [str(bad)]


def test_unknown_analysis_lists_the_known_ones():
    with pytest.raises(kaon.UsageError, match="available: dimuon"):
        kaon.run([ADL_FILE], analysis="nope")


# all.adl books the eight queries under these names (region/histogram), with the benchmark's
# root-project binning.
ADL_LANGUAGE_NAMES = {"q1": "q1/met", "q2": "q2/jetpt", "q3": "q3/jetpt", "q4": "q4/met", "q5": "q5/met",
                      "q6pt": "q6/pt", "q6btag": "q6/btag", "q7": "q7/ht", "q8": "q8/mt"}


def test_an_adl_file_runs_from_python_and_equals_uproot(adl_reference):
    """`kaon.run(files, "all.adl")`: the ADL text goes into the job spec (kind adl_file), so
    the same call works on Dask workers that have no copy of the file."""
    results = kaon.run(ADL_FILE, REPO / "examples" / "adl" / "all.adl", threads=2, block_size=BLOCK)
    assert results.summary["entries"] == uproot.open(ADL_FILE)["Events"].num_entries
    for key, name in ADL_LANGUAGE_NAMES.items():
        got = results.hist(name, "data").values(flow=True)
        assert got.tolist() == reference_as_float(adl_reference[key]), key


def reference_as_float(counts):
    return counts.astype(np.float64).tolist()


def test_an_adl_file_error_names_its_line_and_column(tmp_path):
    wrong = tmp_path / "wrong.adl"
    wrong.write_text("region twomuons\n  select size(Muonz) >= 2\n")
    with pytest.raises(kaon.UsageError, match=r"wrong\.adl:2:\d+: error: .*Muonz"):
        kaon.run(ADL_FILE, wrong)
    with pytest.raises(kaon.KaonFileNotFoundError, match="missing.adl: cannot read ADL file"):
        kaon.run(ADL_FILE, tmp_path / "missing.adl")
