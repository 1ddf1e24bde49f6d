"""Outputs are crash-safe: killed or interrupted, kaon never leaves a partial file under an
output's name.

Real `kaon copy`, `kaon merge` and `kaon run` processes write over an existing file (bytes
of another ROOT file) and are killed with SIGKILL after random delays spread over a clean
run's duration. Afterwards the final name holds either the previous bytes, unchanged, or
the complete new file: uproot reads it in full and it equals a clean run's output (trees
array for array, histograms bin for bin). The temporaries the killed processes leave are
named `.NAME.kaon-partial-PID-…` and the next run writing that output removes them.
Ctrl-C (SIGINT) during a run exits with status 130, says "interrupted: PATH not written"
for each output not yet written, and leaves neither a partial file nor a temporary.
"""
import os
import random
import signal
import subprocess
import time

import awkward as ak
import numpy as np
import uproot

from conftest import KAON, REPO, SHARED, kaon

ADL1000 = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"
PREVIOUS = SHARED / "data" / "root" / "uproot-HZZ.root"
Q5 = REPO / "examples" / "adl" / "q5.adl"


def temporaries(folder):
    return sorted(p.name for p in folder.iterdir() if ".kaon-partial-" in p.name)


def timed(args):
    start = time.monotonic()
    subprocess.run([KAON, *map(str, args)], check=True, capture_output=True, timeout=300)
    return time.monotonic() - start


def same_trees(path, reference):
    """Every tree of `path` equals the reference's, branch for branch."""
    got, want = uproot.open(path), uproot.open(reference)
    assert got.keys(cycle=False) == want.keys(cycle=False)
    for name, classname in want.classnames(cycle=False).items():
        if classname == "TTree":
            assert got[name].num_entries == want[name].num_entries
            for branch in want[name].keys():
                assert ak.array_equal(got[name][branch].array(), want[name][branch].array(), equal_nan=True), branch


def same_histograms(path, reference):
    got, want = uproot.open(path), uproot.open(reference)
    assert got.keys(cycle=False) == want.keys(cycle=False)
    for name, classname in want.classnames(cycle=False).items():
        if classname.startswith("TH"):
            assert np.array_equal(got[name].values(flow=True), want[name].values(flow=True)), name
            assert np.array_equal(got[name].variances(flow=True), want[name].variances(flow=True)), name


def kill_campaign(args, final, reference, compare, kills, seed):
    """Runs `args` `kills` times over the previous file's bytes at `final`, each killed with
    SIGKILL after a random delay within 1.2 × a clean run; checks the final name after each.
    Returns how many kills left the previous file and how many the new one."""
    duration = timed(args)
    rng = random.Random(seed)
    previous = PREVIOUS.read_bytes()
    outcomes = {"previous": 0, "new": 0}
    for _ in range(kills):
        final.write_bytes(previous)
        process = subprocess.Popen([KAON, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, 1.2 * duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if final.read_bytes() == previous:
            outcomes["previous"] += 1
        else:
            compare(final, reference)
            outcomes["new"] += 1
    # The killed processes' temporaries are clearly named; a clean run removes them.
    assert all(".kaon-partial-" in name for name in temporaries(final.parent))
    timed(args)
    compare(final, reference)
    assert temporaries(final.parent) == []
    assert outcomes["previous"] > 0, outcomes
    return outcomes


def test_copy_killed_at_random_points(tmp_path):
    reference = tmp_path / "reference.root"
    kaon("copy", ADL1000, reference)
    final = tmp_path / "out" / "copy.root"
    final.parent.mkdir()
    kill_campaign(["copy", ADL1000, final], final, reference, same_trees, kills=20, seed=1)


def test_merge_killed_at_random_points(tmp_path):
    inputs = [ADL1000] * 2
    reference = tmp_path / "reference.root"
    kaon("merge", reference, *inputs)
    final = tmp_path / "out" / "merged.root"
    final.parent.mkdir()
    kill_campaign(["merge", final, *inputs], final, reference, same_trees, kills=8, seed=2)


def test_run_killed_at_random_points(tmp_path):
    kaon("run", Q5, "--files", ADL1000, "-o", tmp_path / "reference")
    out = tmp_path / "out"
    out.mkdir()
    kill_campaign(["run", Q5, "--files", ADL1000, "-o", out], out / "results.root",
                  tmp_path / "reference" / "results.root", same_histograms, kills=10, seed=3)


def interrupt(args, ready):
    """Starts kaon, sends SIGINT once `ready(pid)` holds; returns its status and stderr."""
    process = subprocess.Popen([KAON, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ready(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


def reading(path):
    """Whether process `pid` has `path` open (so its command is past parsing, into the work)."""
    def check(pid):
        try:
            return any(os.path.realpath(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
        except OSError:
            return False
    return check


def test_ctrl_c_during_a_run_writes_nothing_and_says_so(tmp_path):
    """SIGINT once `kaon run` has opened its input (one file given 30 times, so that the
    interrupt lands while it reads the events, long before the outputs are written)."""
    out = tmp_path / "out"
    out.mkdir()
    previous = PREVIOUS.read_bytes()
    (out / "results.root").write_bytes(previous)
    status, stderr = interrupt(["run", Q5, "--files", *[ADL1000] * 30, "-o", out, "--threads", 1], reading(ADL1000.resolve()))
    assert status == 130, stderr
    assert f"interrupted: {out}/results.root not written" in stderr
    assert f"interrupted: {out}/cutflow.json not written" in stderr
    assert (out / "results.root").read_bytes() == previous
    assert sorted(p.name for p in out.iterdir()) == ["results.root"]


def test_ctrl_c_during_a_merge_removes_its_temporary(tmp_path):
    """SIGINT once `kaon merge` has started writing (20 inputs): exit 130, no output, no
    temporary."""
    final = tmp_path / "merged.root"
    status, stderr = interrupt(["merge", final, *[ADL1000] * 20], lambda _: temporaries(tmp_path) != [])
    assert status == 130, stderr
    assert stderr == f"interrupted: {final} not written\n"
    assert list(tmp_path.iterdir()) == []
