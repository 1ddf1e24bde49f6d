"""The I/O and analysis subcommands at their edges (issue 13): ranges across the files of a
chain, option values out of bounds, damaged inputs, outputs that cannot be created, and
which errors are usage errors (status 64, the subcommand's usage) and which are runtime
errors (status 1, the message). Values are compared with uproot and hist."""
import csv
import io
import json
import shutil
import time

import awkward as ak
import hist
import numpy as np
import pytest
import uproot

from conftest import SHARED, help_text, kaon, kaon_json, option_entries

ROOT_DATA = SHARED / "data" / "root"
ADL = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"
HZZ_ZSTD = ROOT_DATA / "uproot-HZZ-zstd.root"
HZZ_ZLIB = ROOT_DATA / "uproot-HZZ-zlib.root"
HISTOGRAMS = ROOT_DATA / "root-6.40-histograms.root"


def assert_usage_error(result, subcommand, needle):
    """Status 64, the reason, and the usage line of the subcommand (not of `kaon` alone)."""
    assert result.returncode == 64, (result.returncode, result.stderr)
    assert needle in result.stderr, result.stderr
    assert f"Usage: kaon {subcommand}" in result.stderr, result.stderr
    assert "Fatal error" not in result.stderr


def assert_runtime_error(result, needle):
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert needle in result.stderr, result.stderr
    assert "Usage:" not in result.stderr and "Fatal error" not in result.stderr
    assert "NSCocoaErrorDomain" not in result.stderr


# 1. A range that misses one file of a chain is the slice across the files.

@pytest.mark.parametrize("entries", ["0:3", "2418:2425", "2421:2424", "4840:4842", "1000:1000"])
def test_chain_slice_equals_uproot_concatenate(entries):
    start, stop = map(int, entries.split(":"))
    got = kaon_json("dump", f"{HZZ_ZSTD}:events", f"{HZZ_ZLIB}:events", "-b", "NJet", "-b", "Jet_Px",
                    "--entries", entries)
    expected = uproot.concatenate([f"{HZZ_ZSTD}:events", f"{HZZ_ZLIB}:events"], ["NJet", "Jet_Px"])[start:stop]
    assert got["NJet"] == expected["NJet"].tolist()
    assert [[np.float32(x) for x in row] for row in got["Jet_Px"]] == \
        [[np.float32(x) for x in row] for row in ak.to_list(expected["Jet_Px"])]


# 2. draw: option values out of bounds are usage errors saying why; big binnings are fast.

@pytest.mark.parametrize("args,needle", [
    (["--width=-5"], "--width must be at least"),
    (["--bins", "9999999999999,0,100"], "at most"),
    (["--bins", "0,0,100"], "at least 1"),
    (["--bins", "10,5,1"], "LO must be below HI"),
    (["--bins", "10,0"], "N,LO,HI"),
    (["--bins", "10,a,1"], "LO must be a finite number"),
])
def test_draw_rejects_bad_options_with_a_reason(args, needle):
    assert_usage_error(kaon("draw", ADL, "MET_pt", *args, check=False), "draw", needle)


def test_draw_many_bins_is_linear_and_plot_can_be_skipped(tmp_path):
    met = uproot.open(ADL)["Events"]["MET_pt"].array(library="np")
    out = tmp_path / "met.json"
    # 100 000 bins took 35 s (debug build: minutes) when every label rebuilt every edge.
    start = time.monotonic()
    result = kaon("draw", ADL, "MET_pt", "--bins", "100000,0,100", "-o", out)
    assert time.monotonic() - start < 15
    assert len(result.stdout.splitlines()) > 100_000
    quiet = kaon("draw", ADL, "MET_pt", "--bins", "100000,0,100", "--no-plot")
    assert quiet.stdout.splitlines()[0].startswith(f"{len(met)} entries filled"), quiet.stdout[:200]
    values = json.loads(out.read_text())["storage"]["values"]
    expected = hist.Hist.new.Reg(100_000, 0, 100).Weight().fill(met).values(flow=True)
    assert values == expected.tolist()


# 3. `kaon run --on-failure skip` skips a truncated file and reports it.

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    kaon("demo", "--output", folder, "--scale", "0.01", "--threads", "2")
    return folder


def test_run_skips_a_truncated_file(demo, tmp_path):
    data = demo / "data"
    files = sorted(data.glob("*.root"))
    victim = next(f for f in files if f.name == "SingleMuon_2.root")
    truncated = victim.read_bytes()[:victim.stat().st_size // 2]  # as `head -c` would cut it
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    (copy / victim.name).write_bytes(truncated)
    out = tmp_path / "out"
    failed = kaon("run", copy / "samples.yml", "--analysis", "dimuon", "-o", out, "--threads", "1", check=False)
    assert failed.returncode == 1 and victim.name in failed.stderr and not (out / "results.root").exists()
    result = kaon("run", copy / "samples.yml", "--analysis", "dimuon", "-o", out, "--threads", "1",
                  "--on-failure", "skip")
    assert f"skipped {copy / victim.name}" in result.stdout, result.stdout
    assert "truncated" in result.stdout
    # The other samples are complete: their histograms equal a run over the intact files minus the victim's sample.
    full = json.loads((demo / "results.json").read_text())
    full.pop("provenance")
    partial = json.loads((out / "results.json").read_text())
    # The provenance counts no entry read from the skipped file.
    assert [i["entries"] for i in partial.pop("provenance")["inputs"] if i["path"] == str(copy / victim.name)] == [0]
    assert set(partial) == set(full)
    for sample in full:
        if sample != "SingleMuon":
            assert full[sample]["mll"]["nominal"]["storage"] == partial[sample]["mll"]["nominal"]["storage"], sample
    # The data sample holds exactly the events of its intact file.
    cutflow = json.loads((out / "cutflow.json").read_text())
    assert cutflow["SingleMuon"]["rows"][0]["raw"] == uproot.open(copy / "SingleMuon_1.root")["Events"].num_entries


# 4. "no object named X" names the file.

@pytest.mark.parametrize("args", [
    ["show", f"{ADL}:NoSuchTree"],
    ["draw", f"{ADL}:NoTree", "MET_pt"],
    ["nano-dump", f"{ADL}:Nope"],
    ["adl", HZZ_ZSTD],
])
def test_missing_object_names_the_file(args):
    result = kaon(*args, check=False)
    assert_runtime_error(result, "no object named")
    line = next(line for line in result.stderr.splitlines() if "no object named" in line)
    assert str(ADL if "adl" != args[0] else HZZ_ZSTD) in line, line


# 5. An output that cannot be created: one message for every command.

@pytest.mark.parametrize("args,path", [
    (["demo", "-o", "/proc/demo", "--scale", "0.01"], "/proc/demo"),
    (["draw", ADL, "MET_pt", "--bins", "10,0,100", "-o", "/proc/nodir/x.svg"], "/proc/nodir/x.svg"),
    (["draw", ADL, "MET_pt", "--bins", "10,0,100", "-o", "/proc/nodir/x.root"], "/proc/nodir/x.root"),
    (["copy", HZZ_ZSTD, "/proc/nodir/x.root"], "/proc/nodir/x.root"),
])
def test_output_that_cannot_be_created(args, path):
    assert_runtime_error(kaon(*args, check=False), f"cannot create {path}: No such file or directory")


def test_run_output_folder_that_cannot_be_created(demo):
    result = kaon("run", demo / "data" / "samples.yml", "--analysis", "dimuon", "-o", "/proc/out", check=False)
    assert_runtime_error(result, "cannot create /proc/out: No such file or directory")


# 6. Usage errors show the subcommand's usage; expression errors are runtime errors.

def test_expression_syntax_error_is_a_runtime_error_with_a_caret():
    result = kaon("draw", ADL, "MET_pt +", check=False)
    assert_runtime_error(result, "MET_pt +")
    lines = result.stderr.splitlines()
    assert any(line.strip() == "^" for line in lines), result.stderr


def test_unknown_branch_in_expression_is_a_runtime_error():
    assert_runtime_error(kaon("draw", ADL, "MET_ptt", "--bins", "10,0,1", check=False), "MET_ptt")


@pytest.mark.parametrize("args,subcommand,needle", [
    (["show", ADL], "show", "FILE:TREE"),
    (["dump", ADL], "dump", "FILE:OBJECT"),
])
def test_usage_errors_from_run_show_the_subcommand_usage(args, subcommand, needle):
    assert_usage_error(kaon(*args, check=False), subcommand, needle)


# 7. `kaon help` with an unknown topic.

def test_help_for_an_unknown_command_is_an_error():
    result = kaon("help", "nosuch", check=False)
    assert result.returncode == 64 and "nosuch" in result.stderr, (result.returncode, result.stderr)
    assert "USAGE" in kaon("help", "dump").stdout


# 8. Entry ranges: reversed is a usage error, past the end a warning.

@pytest.mark.parametrize("command", ["dump", "copy"])
def test_reversed_entry_range_is_a_usage_error(command, tmp_path):
    target = [f"{ADL}:Events", "-b", "MET_pt"] if command == "dump" else [ADL, tmp_path / "x.root"]
    assert_usage_error(kaon(command, *target, "--entries", "5:2", check=False), command, "reversed")


def test_entry_range_past_the_end_warns_with_the_entry_count(tmp_path):
    entries = uproot.open(ADL)["Events"].num_entries
    result = kaon("dump", f"{ADL}:Events", "-b", "MET_pt", "--entries", f"{entries + 1000}:{entries + 2000}")
    assert json.loads(result.stdout) == {"MET_pt": []}
    assert "Warning" in result.stderr and f"{entries} entries" in result.stderr
    out = tmp_path / "x.root"
    result = kaon("copy", ADL, out, "-b", "MET_pt", "--entries", f"{entries + 1000}:{entries + 2000}")
    assert "Warning" in result.stderr and f"{entries} entries" in result.stderr
    assert uproot.open(out)["Events"].num_entries == 0


# 9. dump: histograms as CSV, repeated branches once.

@pytest.mark.parametrize("name", ["h1d_regular", "h1d_variable", "h1i", "h2d", "h3d", "prof", "variations/nominal"])
def test_dump_histogram_as_csv_matches_uproot(name):
    h = uproot.open(HISTOGRAMS)[name]
    rows = list(csv.DictReader(io.StringIO(kaon("dump", f"{HISTOGRAMS}:{name}", "--format", "csv").stdout)))
    # uproot's flow arrays are indexed [x, y, …]; ROOT's global bins run x fastest.
    if name == "prof":
        assert [float(r["bin_entries"]) for r in rows] == np.asarray(h.member("fBinEntries")).tolist()
        assert [float(r["variance"]) for r in rows] == np.asarray(h.member("fSumw2")).tolist()
        assert np.allclose([float(r["mean"]) for r in rows], h.values(flow=True), rtol=1e-13, atol=0)
        assert np.allclose([float(r["error"]) for r in rows], h.errors(flow=True), rtol=1e-13, atol=0)
    else:
        assert [float(r["content"]) for r in rows] == h.values(flow=True).flatten(order="F").tolist()
        assert [float(r["variance"]) for r in rows] == h.variances(flow=True).flatten(order="F").tolist()
    edges = h.axis(0).edges(flow=True)
    nx = len(edges) - 1
    assert [float(r["x_low"]) for r in rows[:nx]] == edges[:-1].tolist()
    assert [float(r["x_high"]) for r in rows[:nx]] == edges[1:].tolist()


def test_dump_repeated_branch_is_printed_once():
    text = kaon("dump", f"{ADL}:Events", "-b", "MET_pt", "-b", "MET_pt", "--entries", "0:3").stdout
    assert text.count('"MET_pt"') == 1
    expected = uproot.open(ADL)["Events"]["MET_pt"].array(entry_stop=3, library="np")
    assert [np.float32(x) for x in json.loads(text)["MET_pt"]] == expected.tolist()


# 10. A directory where an object is expected.

def test_show_of_a_directory_says_so(demo):
    result = kaon("show", f"{demo / 'results.root'}:DYJetsToMuMu", check=False)
    assert_runtime_error(result, "DYJetsToMuMu is a directory")
    assert "mll" in result.stderr


# 11. nano-dump of a tree that is not NanoAOD.

def test_nano_dump_of_a_non_nanoaod_tree():
    assert_runtime_error(kaon("nano-dump", f"{HZZ_ZSTD}:events", check=False), "not a NanoAOD tree (no nMuon")


# 12. --json is a flag: adl prints the UHI dictionary on standard output.

def test_adl_json_is_a_flag_printing_to_stdout():
    result = kaon("adl", ADL, "--query", "q1", "--json")
    histograms = json.loads(result.stdout)
    assert list(histograms) == ["q1"]
    met = uproot.open(ADL)["Events"]["MET_pt"].array(library="np")
    values = histograms["q1"]["storage"]["values"]
    assert sum(values) == len(met)
    assert "events in" in result.stderr


IO_COMMANDS = ["ls", "show", "dump", "scan", "draw", "copy", "merge", "adl", "demo", "run", "new", "nano-dump"]


@pytest.mark.parametrize("command", IO_COMMANDS)
def test_help_states_each_default_once(command):
    """An option whose help names its default ("all cores") must not also get ArgumentParser's
    "(default: 2)" (this machine's count), as `demo` and `run` printed."""
    for name, entry in option_entries(help_text(command)).items():
        assert entry.count("(default") <= 1, entry
