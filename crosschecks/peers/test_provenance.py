"""Provenance and run metrics of `kaon run`, checked with uproot, PyROOT and prometheus_client.

1. The `provenance` directory of results.root reads in uproot and in ROOT; its inputs are the
   files run on: the UUID uproot reports for each, the size os.stat gives, the entries uproot
   counts. results.json, cutflow.json, the figures `kaon plot` makes from results.root and
   `kaon provenance` carry the same record.
2. `kaon run --reproduce` passes on an untouched rerun, and refuses (exit 1, naming what)
   when an input changed, when the ADL text changed, and when a histogram differs.
3. `--metrics`: the JSON totals equal the printed summary and uproot's entry counts; the
   OpenMetrics text parses with prometheus_client's OpenMetrics parser to the same totals;
   `kaon metrics compare` of a run with itself flags nothing.

Inputs are two small NanoAOD-like files (the ADL benchmark's 1000 events, and 2000 written
by ROOT 6.40) copied into a temporary folder, so that one can be modified.
"""
import json
import os
import re
import shutil
import socket

import pytest
import uproot

from conftest import REPO, SHARED, kaon

INPUTS = [SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root",
          SHARED / "data" / "root" / "root-6.40-adl-2000-zstd.root"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One ADL run over copies of the inputs, with --metrics: (folder, inputs, stdout)."""
    folder = tmp_path_factory.mktemp("provenance")
    inputs = []
    for source in INPUTS:
        shutil.copy(source, folder / source.name)
        inputs.append(folder / source.name)
    adl = folder / "q1.adl"
    shutil.copy(REPO / "examples" / "adl" / "q1.adl", adl)
    result = kaon("run", adl, "--files", *inputs, "-o", folder / "out", "--threads", 2, "--metrics", folder / "metrics.json")
    return folder, inputs, result.stdout


def record_from_root(path):
    return json.loads(str(uproot.open(path)["provenance/json"]))


def test_root_file_records_the_inputs_as_uproot_sees_them(run):
    folder, inputs, _ = run
    record = record_from_root(folder / "out" / "results.root")
    assert [entry["path"] for entry in record["inputs"]] == [str(p) for p in inputs]
    for entry, path in zip(record["inputs"], inputs):
        with uproot.open(path) as f:
            assert entry["uuid"] == str(f.file.uuid)
            assert entry["entries"] == f["Events"].num_entries
        assert entry["size"] == os.stat(path).st_size
    assert record["analysis"] == "q1"
    assert record["host"] == socket.gethostname()
    assert record["threads"] == 2
    assert record["command_line"][1:3] == ["run", str(folder / "q1.adl")]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["date"])
    assert re.fullmatch(r"[0-9a-f]{40}(-dirty)?|unknown", record["git_commit"])
    assert record["kaon_version"] == kaon("--version").stdout.strip()


def test_root_reads_the_same_record(run):
    import ROOT
    folder, _, _ = run
    f = ROOT.TFile.Open(str(folder / "out" / "results.root"))
    try:
        text = str(f.Get("provenance/json").GetString())
        assert json.loads(text) == record_from_root(folder / "out" / "results.root")
        assert f.Get("provenance/host").GetTitle() == socket.gethostname()
        assert f.Get("provenance/input_1").GetTitle() == str(folder / INPUTS[1].name)
    finally:
        f.Close()


def test_every_output_and_kaon_provenance_carry_the_same_record(run):
    folder, _, _ = run
    record = record_from_root(folder / "out" / "results.root")
    for name in ("results.json", "cutflow.json"):
        assert json.loads((folder / "out" / name).read_text())["provenance"] == record
    for name in ("results.root", "cutflow.json"):
        assert json.loads(kaon("provenance", folder / "out" / name, "--json").stdout) == record
    text = kaon("provenance", folder / "out" / "results.root").stdout
    assert record["configuration_sha256"] in text and str(folder / INPUTS[0].name) in text


def test_plots_carry_the_record_of_the_results_they_show(run):
    """`kaon plot` puts the record of results.root into every SVG's metadata and PNG's iTXt
    chunks (Pillow reads them); `kaon provenance FIGURE` prints it."""
    from PIL import Image
    folder, _, _ = run
    record = record_from_root(folder / "out" / "results.root")
    kaon("plot", folder / "out" / "results.root", "-o", folder / "plots", "--format", "svg,png")
    pngs = sorted((folder / "plots").glob("*.png"))
    assert pngs
    for png in pngs:
        assert json.loads(Image.open(png).text["provenance"]) == record
        assert json.loads(kaon("provenance", png, "--json").stdout) == record
        assert json.loads(kaon("provenance", png.with_suffix(".svg"), "--json").stdout) == record


def test_kaon_draw_outputs_record_the_files_and_entries_read(run, tmp_path):
    folder, inputs, _ = run
    for name in ("met.root", "met.svg"):
        kaon("draw", *[f"{p}:Events" for p in inputs[:1]], "MET_pt", "--bins", "20,0,100", "-o", tmp_path / name, "--no-plot")
        record = json.loads(kaon("provenance", tmp_path / name, "--json").stdout)
        with uproot.open(inputs[0]) as f:
            assert [(i["path"], i["uuid"], i["entries"]) for i in record["inputs"]] == \
                [(str(inputs[0]), str(f.file.uuid), f["Events"].num_entries)]
        assert record["analysis"] == "kaon draw"
    assert record_from_root(tmp_path / "met.root")["configuration_sha256"] == record["configuration_sha256"]


def test_reproduce_passes_on_an_untouched_rerun(run):
    folder, _, _ = run
    result = kaon("run", "--reproduce", folder / "out" / "results.root")
    assert "reproduced: 1 histograms identical" in result.stdout


def test_reproduce_refuses_a_changed_histogram(run, tmp_path):
    folder, _, _ = run
    out = tmp_path / "out"
    shutil.copytree(folder / "out", out)
    document = json.loads((out / "results.json").read_text())
    document["data"]["q1/met"]["nominal"]["storage"]["values"][5] += 1
    (out / "results.json").write_text(json.dumps(document))
    result = kaon("run", "--reproduce", out / "results.json", check=False)
    assert result.returncode == 1
    assert "data/q1/met/nominal" in result.stderr


def test_reproduce_refuses_changed_inputs_and_configuration(tmp_path):
    data = tmp_path / "data.root"
    shutil.copy(INPUTS[0], data)
    adl = tmp_path / "q1.adl"
    shutil.copy(REPO / "examples" / "adl" / "q1.adl", adl)
    kaon("run", adl, "--files", data, "-o", tmp_path / "out")
    adl.write_text(adl.read_text().replace("100, 0, 200", "50, 0, 200"))
    result = kaon("run", "--reproduce", tmp_path / "out" / "results.root", check=False)
    assert result.returncode == 1 and "adl" in result.stderr and "configuration changed" in result.stderr
    shutil.copy(REPO / "examples" / "adl" / "q1.adl", adl)
    with open(data, "ab") as f:
        f.write(b"\0" * 16)
    result = kaon("run", "--reproduce", tmp_path / "out" / "results.root", check=False)
    size = os.stat(INPUTS[0]).st_size
    assert result.returncode == 1 and f"{data}: size {size} → {size + 16} bytes" in result.stderr


def test_metrics_totals_equal_the_summary_and_uproot(run):
    folder, inputs, stdout = run
    metrics = json.loads((folder / "metrics.json").read_text())
    summary = re.search(r"^(\d+) entries in (\d+) blocks?, ", stdout, re.M)
    totals = metrics["totals"]
    entries = sum(uproot.open(p)["Events"].num_entries for p in inputs)
    assert (totals["entries"], totals["work_items"]) == (int(summary[1]), int(summary[2]))
    assert totals["entries"] == entries == sum(item["entries"] for item in metrics["work_items"])
    assert len(metrics["work_items"]) == totals["work_items"] and totals["threads"] == 2
    assert totals["bytes_decompressed"] == sum(item["bytes_decompressed"] for item in metrics["work_items"]) > 0
    assert totals["cpu_seconds"] == pytest.approx(sum(item["cpu_seconds"] for item in metrics["work_items"]))
    assert totals["bytes_read"] > 0 and totals["wall_seconds"] > 0
    for item in metrics["work_items"]:
        assert item["succeeded"] and item["entry_stop"] - item["entry_start"] == item["entries"]


def test_openmetrics_parses_to_the_json_totals(run, tmp_path):
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
    folder, inputs, _ = run
    prom = tmp_path / "metrics.prom"
    kaon("draw", f"{inputs[0]}:Events", "MET_pt", "--bins", "10,0,100", "--no-plot", "--metrics", prom)
    families = {f.name: f for f in text_string_to_metric_families(prom.read_text())}
    entries = families["kaon_entries"].samples[0]
    assert entries.name == "kaon_entries_total" and entries.labels == {"command": "draw"}
    assert entries.value == uproot.open(inputs[0])["Events"].num_entries
    items = families["kaon_work_item_entries"].samples
    assert sum(s.value for s in items) == entries.value
    assert {s.labels["file"] for s in items} == {str(inputs[0])}


def test_metrics_compare_of_a_run_with_itself_flags_nothing(run):
    folder, _, _ = run
    table = kaon("metrics", "compare", folder / "metrics.json", folder / "metrics.json").stdout
    rows = [line for line in table.splitlines() if line.startswith(("  entries", "! "))]
    assert rows and not any(line.startswith("! ") for line in rows)


def test_merge_keeps_the_union_of_inputs(run, tmp_path):
    folder, inputs, _ = run
    other = tmp_path / "other.root"
    shutil.copy(SHARED / "data" / "root" / "root-6.40-adl-2000-lz4.root", other)
    kaon("run", folder / "q1.adl", "--files", inputs[0], other, "-o", tmp_path / "second")
    kaon("merge", tmp_path / "merged.root", folder / "out" / "results.root", tmp_path / "second" / "results.root")
    first = record_from_root(folder / "out" / "results.root")
    merged = record_from_root(tmp_path / "merged.root")
    assert [i["path"] for i in merged["inputs"]] == [str(inputs[0]), str(inputs[1]), str(other)]
    with uproot.open(other) as f:
        assert merged["inputs"][2]["uuid"] == str(f.file.uuid) and merged["inputs"][2]["entries"] == f["Events"].num_entries
    # The input both runs read counts the entries of both.
    assert merged["inputs"][0]["entries"] == 2 * first["inputs"][0]["entries"]
    assert {k: v for k, v in merged.items() if k != "inputs"} == {k: v for k, v in first.items() if k != "inputs"}
    with uproot.open(tmp_path / "merged.root") as f:
        met = f["data/q1/met"].values(flow=True)
    with uproot.open(folder / "out" / "results.root") as a, uproot.open(tmp_path / "second" / "results.root") as b:
        assert (met == a["data/q1/met"].values(flow=True) + b["data/q1/met"].values(flow=True)).all()


def test_copy_metrics_count_the_entries_of_every_tree(run, tmp_path):
    _, inputs, _ = run
    kaon("copy", inputs[1], tmp_path / "copy.root", "--metrics", tmp_path / "copy.json")
    metrics = json.loads((tmp_path / "copy.json").read_text())
    with uproot.open(inputs[1]) as f:
        trees = {key.split(";")[0]: f[key].num_entries for key, cls in f.classnames().items() if cls == "TTree"}
    assert {item["tree"]: item["entries"] for item in metrics["work_items"]} == trees
    assert metrics["command"] == "copy" and metrics["totals"]["entries"] == sum(trees.values())
    assert metrics["totals"]["work_items"] == len(trees)
