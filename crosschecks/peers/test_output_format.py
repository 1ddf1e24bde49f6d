"""Numbers for people: every `kaon` subcommand run on real inputs, and its human-readable
output read as a physicist would. No binary floating-point noise (0.9073400840000001 s),
times and rates with units, sizes in decimal units, a zero significance printed as 0,
--threads capped with a note, and a progress line on a terminal's stderr only."""
import json
import os
import pty
import re
import subprocess

import awkward as ak
import numpy as np
import pytest
import uproot

from conftest import KAON, SHARED, kaon
from inference_peers import extract_sbottom

ADL = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"
NANO = SHARED / "data" / "root" / "nanoAOD_2015_CMS_Open_Data_ttbar.root"
HISTOGRAMS = SHARED / "data" / "root" / "root-6.40-histograms.root"

FLOAT = re.compile(r"(?<![\w.])-?(\d+\.\d+)(?:e[+-]?\d+)?")
TIME = r"[0-9.]+ (?:ns|µs|ms|s|min|h)"


def significant_digits(mantissa):
    return len(mantissa.replace(".", "").lstrip("0"))


def noisy_numbers(text):
    """Floats in `text` with more than 8 significant digits: binary noise, not a measurement
    (a Double's shortest text has 16-17; every deliberate figure in kaon has at most 7)."""
    return [m.group(0) for m in FLOAT.finditer(text) if significant_digits(m.group(1)) > 8]


def assert_readable(text):
    assert text.strip(), "no output"
    noisy = noisy_numbers(text)
    assert not noisy, f"binary noise in human-readable output: {noisy}\n{text}"


def test_noise_detector_catches_what_it_should():
    assert noisy_numbers("0.9073400840000001 s, CPU 0.9032739999999999 s") == ["0.9073400840000001", "0.9032739999999999"]
    assert noisy_numbers("sum of weights 19.0 ± 4.358898943540674") == ["4.358898943540674"]
    assert noisy_numbers("907 ms, 1.23M events/s, 45.6 MB, 1.235 ± 0.057, -ln L = 123.457, 9.53674e-07") == []


@pytest.fixture(scope="module")
def sbottom(tmp_path_factory):
    return extract_sbottom(tmp_path_factory.mktemp("sbottom"), "RegionA", "sbottom_1300_205_60")


def test_adl_summary_has_units():
    out = kaon("adl", ADL, "--threads", 2).stdout
    assert_readable(out)
    summary = out.strip().splitlines()[-1]
    assert re.fullmatch(rf"1000 events in {TIME} on 2 thread\(s\): [0-9.]+[kMG]? events/s; CPU {TIME}", summary), summary


def test_adl_threads_are_capped_with_a_note():
    result = kaon("adl", ADL, "--query", "q1", "--threads", 100000)
    cap = 4 * os.cpu_count()
    assert f"--threads 100000" in result.stderr and f"using {cap} threads" in result.stderr, result.stderr
    assert f"on {cap} thread(s)" in result.stdout
    assert_readable(result.stdout)


def test_scan_reports_sizes_and_rates_with_units():
    out = kaon("scan", f"{ADL}:Events", "--threads", 2).stdout
    assert_readable(out)
    lines = out.strip().splitlines()
    assert re.fullmatch(r"[0-9.]+ (?:B|kB|MB|GB) stored, [0-9.]+ (?:B|kB|MB|GB) uncompressed, \d+ values decoded", lines[1]), lines[1]
    assert re.fullmatch(rf"{TIME}, [0-9.]+ (?:B|kB|MB|GB)/s uncompressed, [0-9.]+ (?:B|kB|MB|GB)/s per thread on 2 threads", lines[2]), lines[2]
    # --json keeps full precision (machine-readable output is not rounded).
    full = json.loads(kaon("scan", f"{ADL}:Events", "--json").stdout)
    assert isinstance(full["seconds"], float) and isinstance(full["uncompressed_bytes"], int)


def test_show_ls_and_dump_text():
    show = kaon("show", f"{ADL}:Events").stdout
    assert_readable(show)
    assert re.search(r"\s[0-9.]+ (?:B|kB|MB)\s+[0-9.]+ (?:B|kB|MB)\s+\d+\s", show), show
    assert_readable(kaon("ls", HISTOGRAMS).stdout)


def test_draw_sum_of_weights_is_a_measurement():
    result = kaon("draw", NANO, "Jet_pt", "--where", "nJet >= 2", "--weight", "genWeight", "--bins", "20,0,400")
    assert_readable(result.stdout + result.stderr)
    line = next(l for l in result.stdout.splitlines() if "sum of weights" in l)
    value, error, exponent = re.search(r"sum of weights \(?(\S+) ± ([^\s)]+)\)?(e[+-]\d+)? \(", line).groups()
    assert significant_digits(error) == 2, line  # the uncertainty to 2 digits …
    assert len(value.partition(".")[2]) == len(error.partition(".")[2]), line  # … the value to the same place
    # The numbers themselves, against awkward: Σw and √Σw² of the jets filled.
    events = uproot.open(NANO)["Events"].arrays(["nJet", "Jet_pt", "genWeight"])
    selected = events[events["nJet"] >= 2]
    weights = ak.flatten(ak.broadcast_arrays(ak.values_astype(selected["genWeight"], np.float64), selected["Jet_pt"])[0])
    scale = 10.0 ** int(exponent[1:]) if exponent else 1.0
    last_place = 10.0 ** -len(error.partition(".")[2]) * scale
    assert abs(float(value) * scale - float(ak.sum(weights))) <= 0.5 * last_place * (1 + 1e-9), line
    assert abs(float(error) * scale - float(np.sqrt(ak.sum(weights ** 2)))) <= 0.5 * last_place * (1 + 1e-9), line
    assert re.search(rf"entries in \d+ blocks?, {TIME} on 1 thread —", result.stderr), result.stderr


def test_copy_and_merge_reports(tmp_path):
    copied = kaon("copy", ADL, tmp_path / "a.root", "--entries", "0:500")
    assert_readable(copied.stdout)
    merged = kaon("merge", tmp_path / "m.root", tmp_path / "a.root", tmp_path / "a.root")
    assert_readable(merged.stdout)


def test_nano_dump_and_new(tmp_path):
    # nano-dump is JSON (full precision); it must stay parseable.
    json.loads(kaon("nano-dump", f"{ADL}:Events", "--entries", 3).stdout)
    assert_readable(kaon("new", "MyAnalysis", "-o", tmp_path).stdout)


def test_fit_table_rounds_values_to_their_uncertainties(sbottom):
    ws, patch = sbottom
    out = kaon("fit", ws, "--patch", patch).stdout
    assert_readable(out)
    fitted = json.loads(kaon("fit", ws, "--patch", patch, "--json").stdout)
    mu = next(p for p in fitted["parameters"] if p["name"] == fitted["poi"])
    row = next(l for l in out.splitlines() if l.startswith(fitted["poi"] + " "))
    value, error = re.search(r"(\S+) ± (\S+)", row).groups()
    assert significant_digits(error) == 2 and abs(float(value) - mu["value"]) <= 0.5 * 10 ** -len(error.partition(".")[2]) + 1e-12, row
    assert re.search(r"-ln L = \d+\.\d{3}\s", out), out


def test_cls_limit_ranking_text(sbottom):
    ws, patch = sbottom
    assert_readable(kaon("cls", ws, "--patch", patch, "--poi", 1).stdout)
    assert_readable(kaon("limit", ws, "--patch", patch).stdout)
    assert_readable(kaon("ranking", ws, "--patch", patch, "--top", 3).stdout)


def test_zero_significance_prints_zero(sbottom):
    ws, patch = sbottom
    raw = json.loads(kaon("cls", ws, "--patch", patch, "--test-stat", "q0", "--json").stdout)
    text = kaon("cls", ws, "--patch", patch, "--test-stat", "q0").stdout
    assert_readable(text)
    observed = re.search(r"significance\s+(\S+) σ observed", text).group(1)
    # The observed data fit μ̂ at (or below) 0 here: q0 is rounding of the two fits.
    assert raw["qmu"] < 1e-7
    assert observed == "0", text
    assert "e-0" not in text.split("significance")[1], text


def test_diffcut_text():
    assert_readable(kaon("diffcut", "--start", 0.5).stdout)


def test_demo_and_run_summaries(tmp_path):
    result = kaon("demo", "--output", tmp_path / "demo", "--scale", 0.05, "--threads", 2)
    assert_readable(result.stdout)
    assert re.search(rf"dataset {TIME}, analysis {TIME}", result.stdout), result.stdout[-500:]
    assert re.search(r"entries/s", result.stdout) and "of columns loaded" in result.stdout
    assert re.search(r"\d+\.\d{3}\s+[0-9.]+ %\s+[0-9.]+ %", result.stdout), "cut-flow rows"
    samples = tmp_path / "demo" / "data" / "samples.yml"
    ran = kaon("run", samples, "--analysis", "dimuon", "-o", tmp_path / "run", "--threads", 2)
    assert_readable(ran.stdout)


def run_on_terminal(args):
    """Runs kaon with stderr on a pseudo-terminal and stdout on a pipe; returns (stdout, stderr)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([KAON, *map(str, args)], stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    out = process.stdout.read().decode()
    assert process.wait(timeout=600) == 0
    os.close(controller)
    return out, b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("command", ["scan", "copy", "merge", "adl"])
def test_progress_on_a_terminal_only(tmp_path, command):
    args = {
        "scan": ["scan", f"{ADL}:Events", "--json"],
        "copy": ["copy", ADL, tmp_path / "c.root"],
        "merge": ["merge", tmp_path / "m.root", ADL, ADL],
        "adl": ["adl", ADL, "--query", "q1", "--json"],
    }[command]
    out, err = run_on_terminal(args)
    assert "100%" in err and "ETA" in err, err  # drawn on the terminal …
    assert "ETA" not in out  # … never into the output
    if command in ("scan", "adl"):
        json.loads(out)  # --json: the document alone on standard output
    # A pipe gets no progress at all.
    piped = kaon(*args)
    assert "ETA" not in piped.stderr and "ETA" not in piped.stdout
