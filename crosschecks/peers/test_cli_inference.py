"""The inference subcommands as command-line tools: --fix in every command that lists it
(against pyhf's fixed_params), the help examples, values outside their bounds as usage
errors, limits outside a --scan, --json as a flag, help text at 80 columns, and errors
when an output file cannot be created."""
import json
import re
import subprocess

import numpy as np
import pytest

from conftest import KAON, help_text, kaon, kaon_json, option_entries, width

pyhf = pytest.importorskip("pyhf")
from inference_peers import SMALL, extract_sbottom, parameter_names, pyhf_model, tight_fit  # noqa: E402

INFERENCE_COMMANDS = ["fit", "cls", "limit", "ranking", "workspace", "diffcut"]


def held(model, values):
    """pyhf's init_pars and fixed_params holding the named parameters at the given values."""
    names = parameter_names(model)
    init = list(model.config.suggested_init())
    fixed = list(model.config.suggested_fixed())
    for name, value in values.items():
        init[names.index(name)] = value
        fixed[names.index(name)] = True
    return init, fixed


# --- 1. --fix everywhere it is listed -------------------------------------------------------

def test_cls_fix_holds_the_parameter_in_every_fit():
    model, data = pyhf_model(SMALL)
    init, fixed = held(model, {"lumi": 1.05})
    obs, exp = pyhf.infer.hypotest(1.0, data, model, init_pars=init, fixed_params=fixed,
                                   test_stat="qtilde", return_expected_set=True)
    result = kaon_json("cls", SMALL, "--poi", 1, "--fix", "lumi=1.05", "--json")
    assert result["CLs_obs"] == pytest.approx(float(obs), abs=1e-5)
    assert result["CLs_exp"] == pytest.approx([float(e) for e in exp], abs=1e-5)
    # Holding lumi away from its best fit changes CLs: the comparison can tell.
    free = kaon_json("cls", SMALL, "--poi", 1, "--json")
    assert abs(free["CLs_obs"] - result["CLs_obs"]) > 1e-3


def test_limit_fix_matches_pyhf():
    model, data = pyhf_model(SMALL)
    init, fixed = held(model, {"jes": 0.5})
    lo, hi = model.config.suggested_bounds()[model.config.poi_index]
    obs, exp = pyhf.infer.intervals.upper_limits.toms748_scan(data, model, lo, hi, rtol=1e-8,
                                                               init_pars=init, fixed_params=fixed)
    result = kaon_json("limit", SMALL, "--fix", "jes=0.5", "--json")
    assert result["observed"] == pytest.approx(float(obs), rel=1e-4)
    assert result["expected"] == pytest.approx([float(e) for e in exp], rel=1e-4)
    assert abs(kaon_json("limit", SMALL, "--json")["observed"] - result["observed"]) > 1e-3


def test_ranking_fix_holds_the_parameter_and_leaves_it_unranked():
    model, data = pyhf_model(SMALL)
    names = parameter_names(model)
    init, fixed = held(model, {"jes": 0.5})
    best = tight_fit(model, data, init, fixed)
    poi = model.config.poi_index
    result = kaon_json("ranking", SMALL, "--fix", "jes=0.5", "--json")
    assert "jes" not in {e["name"] for e in result["parameters"]}
    assert result["poi_value"] == pytest.approx(best[poi], abs=1e-4)
    # The top entry's post-fit impacts, refitted by pyhf with jes still held.
    top = result["parameters"][0]
    i = names.index(top["name"])
    for key, value in (("postfit_up", top["value"] + top["uncertainty"]), ("postfit_down", top["value"] - top["uncertainty"])):
        init_i, fixed_i = list(init), list(fixed)
        init_i[i], fixed_i[i] = value, True
        ref = tight_fit(model, data, init_i, fixed_i)[poi] - best[poi]
        assert top[key] == pytest.approx(ref, abs=1e-3), key


def test_fit_fix_reports_the_parameter_fixed_at_its_value():
    model, data = pyhf_model(SMALL)
    init, fixed = held(model, {"lumi": 1.05})
    best = tight_fit(model, data, init, fixed)
    result = kaon_json("fit", SMALL, "--fix", "lumi=1.05", "--json")
    by_name = {p["name"]: p for p in result["parameters"]}
    assert by_name["lumi"]["fixed"] and by_name["lumi"]["value"] == 1.05
    assert by_name["mu"]["value"] == pytest.approx(best[model.config.poi_index], abs=1e-4)


# --- 2. help examples that work; a background-only workspace says what to do ----------------

def help_examples(command):
    text = kaon("help", command).stdout
    block = text.split("Example")[1].split("USAGE:")[0]
    return [line.split()[1:] for line in block.splitlines() if line.strip().startswith("kaon ")]


@pytest.mark.parametrize("command", ["fit", "cls"])
def test_sbottom_help_examples_run(tmp_path, command):
    ws, _ = extract_sbottom(tmp_path, "RegionA", "sbottom_1300_205_60")
    examples = [e for e in help_examples(command) if "BkgOnly.json" in e]
    assert examples
    for args in examples:
        result = subprocess.run([KAON, *args], cwd=ws.parent, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, (args, result.stderr)


def test_background_only_workspace_hints_at_patch(tmp_path):
    ws, _ = extract_sbottom(tmp_path, "RegionA", "sbottom_1300_205_60")
    result = kaon("fit", ws, check=False)
    assert result.returncode == 1
    assert "mu_SIG" in result.stderr and "--patch" in result.stderr and str(ws) in result.stderr


# --- 3. values outside their bounds are usage errors -----------------------------------------

@pytest.mark.parametrize("args,needle", [
    (["cls", SMALL, "--poi", "1e9"], "--poi"),
    (["cls", SMALL, "--poi=-1"], "--poi"),
    (["cls", SMALL, "--poi", "nan"], "--poi"),
    (["cls", SMALL, "--alpha", "2"], "--alpha"),
    (["cls", SMALL, "--scan", "0:50:5"], "--scan"),
    (["cls", SMALL, "--fix", "mu=1"], "--fix"),
    (["cls", SMALL, "--fix", "lumi=5"], "--fix"),
    (["fit", SMALL, "--fix", "nosuch=1"], "--fix"),
    (["limit", SMALL, "--alpha", "1"], "--alpha"),
    (["limit", SMALL, "--tolerance", "0"], "--tolerance"),
    (["limit", SMALL, "--bracket=-1:5"], "--bracket"),
    (["ranking", SMALL, "--top", "0"], "--top"),
    (["fit", SMALL, "--normsys", "code0"], "--normsys"),
    (["diffcut", "--width", "0"], "--width"),
    (["diffcut", "--steps=-5"], "--steps"),
])
def test_out_of_bounds_values_are_usage_errors(args, needle):
    result = kaon(*args, check=False)
    assert result.returncode == 64, (args, result.returncode, result.stderr)
    assert needle in result.stderr
    # The subcommand's usage, not the top-level one.
    assert f"Usage: kaon {args[0]} " in result.stderr
    assert "nan" not in result.stdout and "-100%" not in result.stdout


# --- 4. limits a scan does not reach ---------------------------------------------------------

def test_scan_limits_outside_the_scan():
    model, data = pyhf_model(SMALL)
    lo, hi = model.config.suggested_bounds()[model.config.poi_index]
    true_obs, true_exp = pyhf.infer.intervals.upper_limits.toms748_scan(data, model, lo, hi, rtol=1e-8)
    scan = np.linspace(0, 2, 9)
    # The fixture's premise: the observed and +2σ limits lie beyond 2, the others within.
    assert true_obs > 2 and true_exp[4] > 2 and all(e < 2 for e in true_exp[:4])
    _, exp = pyhf.infer.intervals.upper_limits.upper_limit(data, model, scan=scan)
    limit = kaon_json("cls", SMALL, "--scan", "0:2:9", "--json")["upper_limit"]
    assert limit["observed"] is None and limit["observed_outside_scan"] is True
    assert limit["expected"][4] is None and limit["expected_outside_scan"] == [False] * 4 + [True]
    assert limit["expected"][:4] == pytest.approx([float(e) for e in exp[:4]], abs=1e-3)
    text = kaon("cls", SMALL, "--scan", "0:2:9").stdout
    line = next(l for l in text.splitlines() if l.startswith("upper limit"))
    assert line.count("> 2 (outside the scan)") == 2 and "nan" not in line


# --- 6. --json is a flag -----------------------------------------------------------------------

@pytest.mark.parametrize("command", ["limit", "ranking"])
def test_json_is_a_flag(command):
    result = json.loads(kaon(command, SMALL, "--json").stdout)
    assert result["poi"] == "mu"
    # A path after --json is no longer an option value but a second workspace argument.
    assert kaon(command, SMALL, "--json", "-", check=False).returncode == 64


# --- 5. help pages at 80 columns ---------------------------------------------------------------

@pytest.mark.parametrize("command", INFERENCE_COMMANDS)
def test_help_reads_cleanly_at_80_columns(command):
    text = help_text(command)
    lines = text.splitlines()
    assert all(width(l) <= 80 for l in lines), [l for l in lines if width(l) > 80]
    # Prose paragraphs are filled greedily: a line ends only where the next word would not fit
    # (ArgumentParser fills to one column less than the screen width).
    prose = text.split("USAGE:")[0].splitlines()
    for a, b in zip(prose, prose[1:]):
        if a and b and not a.startswith(" ") and not b.startswith(" "):
            assert width(a) + 1 + width(b.split()[0]) > 79, (a, b)
    for name, entry in option_entries(text).items():
        assert entry.count("default:") <= 1, entry


@pytest.mark.parametrize("command", ["fit", "cls", "limit", "ranking"])
def test_interpolation_options_list_only_accepted_codes(command):
    entries = option_entries(help_text(command))
    assert "code1" in entries["--normsys"] and "code4" in entries["--normsys"]
    assert "code0" not in entries["--normsys"] and "code4p" not in entries["--normsys"]
    assert "code0" in entries["--histosys"] and "code4p" in entries["--histosys"]
    assert "code1" not in entries["--histosys"] and not re.search(r"code4\b", entries["--histosys"])


def test_workspace_help_documents_the_spec():
    text = help_text("workspace")
    for needle in ["poi:", "lumi:", "regions:", "samples:", "systematics:", "histogram-sample",
                   "normfactors", "staterror", "normsys", "histosys", "normplusshape", "data: true", "signal: true"]:
        assert needle in text, needle
    assert "See WorkspaceSpec" not in text


# --- 7. output files that cannot be created ----------------------------------------------------

SPEC = """\
poi: mu
regions:
  - {name: SR, histogram: x}
samples:
  - {name: data, data: true}
  - {name: signal, signal: true}
  - {name: bkg}
"""


def write_histograms(path):
    bh = pytest.importorskip("boost_histogram")
    import uhi.io.json
    from boost_histogram.serialization import to_uhi

    def hist(values):
        h = bh.Histogram(bh.axis.Regular(3, 0, 3), storage=bh.storage.Weight())
        h.view().value = values
        h.view().variance = values
        return to_uhi(h)

    doc = {"data": {"x": {"nominal": hist([12.0, 9, 4])}}, "signal": {"x": {"nominal": hist([1.0, 2, 1])}},
           "bkg": {"x": {"nominal": hist([10.0, 7, 3])}}}
    path.write_text(json.dumps(doc, default=uhi.io.json.default))


@pytest.mark.parametrize("command", ["fit-pulls", "ranking-svg", "workspace"])
def test_unwritable_output_names_the_file(tmp_path, command):
    target = tmp_path / "no-such-dir" / "out"
    if command == "fit-pulls":
        args = ["fit", SMALL, "--pulls-svg", target]
    elif command == "ranking-svg":
        args = ["ranking", SMALL, "--top", 1, "--svg", target]
    else:
        (tmp_path / "spec.yml").write_text(SPEC)
        write_histograms(tmp_path / "h.json")
        assert kaon("workspace", tmp_path / "spec.yml", "--histograms", tmp_path / "h.json").returncode == 0
        args = ["workspace", tmp_path / "spec.yml", "--histograms", tmp_path / "h.json", "-o", target]
    result = kaon(*args, check=False)
    assert result.returncode == 1
    assert str(target) in result.stderr and "No such file or directory" in result.stderr
    assert "NSCocoaErrorDomain" not in result.stderr
