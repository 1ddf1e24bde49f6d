"""Kaon on a real Dask cluster (issue 17): a `dask scheduler` and separate `dask worker`
processes started here on loopback, `kaon run --scheduler` and `kaon adl --scheduler` (which
delegate to `python -m kaon.dask`) and `kaon.dask` itself.

The ground truth is the local run of the same job (`kaon run`, `kaon adl`, whose values the
other peer tests check against awkward/uproot): the distributed run must write the same
results.json and cut flows byte for byte (provenance aside) and results.root with the same histograms (uproot
reads values, variances and edges), for 1, 2 and 3 workers; a worker SIGKILLed while it holds
finished partials must leave the result identical; a file whose work item fails follows
--on-failure (fail: exit 1 naming it; skip: listed, results as the local skip run); a wrong or
unreachable scheduler is a clear error within seconds."""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import uproot

import kaon
import kaon.dask
from conftest import KAON, REPO, SHARED, kaon as kaon_cli, split_provenance
from dask_cluster import ENVIRONMENT, Cluster
from remote_servers import free_port

distributed = pytest.importorskip("distributed")

ADL_FILE = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("dask"))
    yield running
    running.close()


@pytest.fixture
def workers(cluster):
    """Starts workers on request (workers(n)); stops them after the test."""
    yield cluster.add_workers
    cluster.stop_workers()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    kaon_cli("demo", "--output", out, "--scale", "0.05", "--threads", "2")
    local = out / "local"
    kaon_cli("run", out / "data" / "samples.yml", "--analysis", "dimuon", "-o", local, "--threads", "2")
    return out


def run_cli(*arguments):
    return subprocess.run([KAON, *map(str, arguments)], capture_output=True, text=True, timeout=600, env=ENVIRONMENT)


def assert_same_outputs(mine, theirs):
    assert (mine / "cutflow.md").read_bytes() == (theirs / "cutflow.md").read_bytes()
    for name in ("results.json", "cutflow.json"):
        # Equal but for the provenance `kaon run` records (none from the Python API): its
        # command line, date and threads differ, its input files are the same.
        (a, record_a), (b, record_b) = split_provenance(mine / name), split_provenance(theirs / name)
        if record_a and record_b:
            files = [[(i["path"], i["uuid"], i["size"]) for i in record["inputs"]] for record in (record_a, record_b)]
            assert files[0] == files[1], name
        assert a == b, name
    with uproot.open(mine / "results.root") as a, uproot.open(theirs / "results.root") as b:
        def objects(f):
            return {key: cls for key, cls in f.classnames().items() if not key.startswith("provenance")}
        assert objects(a) == objects(b)
        for key, classname in b.classnames().items():
            if classname.startswith("TH"):
                np.testing.assert_array_equal(a[key].values(flow=True), b[key].values(flow=True), err_msg=key)
                np.testing.assert_array_equal(a[key].variances(flow=True), b[key].variances(flow=True), err_msg=key)
                assert a[key].member("fEntries") == b[key].member("fEntries"), key
                for axis_a, axis_b in zip(a[key].axes, b[key].axes):
                    np.testing.assert_array_equal(axis_a.edges(), axis_b.edges(), err_msg=key)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_same_results_as_the_local_run_on_1_2_3_workers(cluster, workers, demo, tmp_path, count):
    workers(count)
    result = run_cli("run", demo / "data" / "samples.yml", "--analysis", "dimuon", "-o", tmp_path, "--scheduler", cluster.address)
    assert result.returncode == 0, result.stderr
    assert_same_outputs(tmp_path, demo / "local")
    assert "dask: 6 work items, 16000 entries" in result.stdout
    worker_lines = [line for line in result.stdout.splitlines() if line.startswith("  worker tcp://127.0.0.1:")]
    assert 1 <= len(worker_lines) <= count and all("events/s" in line for line in worker_lines)
    assert "6/6 work items, 16000 entries" in result.stderr  # the progress line's last state
    if count == 2:
        local = kaon_cli("adl", ADL_FILE, "--json").stdout
        distributed_run = run_cli("adl", ADL_FILE, "--json", "--block-size", 100, "--scheduler", cluster.address)
        assert distributed_run.returncode == 0, distributed_run.stderr
        assert distributed_run.stdout == local
        assert "dask: 3 work items, 1000 entries" in distributed_run.stderr


def test_an_adl_file_on_the_cluster_gives_the_local_outputs(cluster, workers, tmp_path):
    """`kaon run X.adl --scheduler`: the ADL text travels in the job spec to workers that have
    no copy of it; the outputs equal the local `kaon run X.adl` (whose histograms equal uproot's
    in test_adl_language.py)."""
    workers(2)
    analysis = tmp_path / "source" / "all.adl"
    analysis.parent.mkdir()
    shutil.copyfile(REPO / "examples" / "adl" / "all.adl", analysis)
    kaon_cli("run", analysis, "--files", ADL_FILE, "-o", tmp_path / "local")
    result = run_cli("run", analysis, "--files", ADL_FILE, "-o", tmp_path / "dask", "--scheduler", cluster.address)
    assert result.returncode == 0, result.stderr
    assert "dask: 1 work items, 1000 entries" in result.stdout, result.stdout
    assert_same_outputs(tmp_path / "dask", tmp_path / "local")


def test_an_analysis_executable_runs_the_work_items(cluster, workers, demo, tmp_path):
    """The mode of `kaon new` packages: every task starts the analysis executable on one work
    item (`Analysis.serveWorkItemRequest`); here the executable is kaon serving its built-in
    analysis through the same request."""
    workers(2)
    command = [KAON, "run", "-", "--analysis", "dimuon"]
    run = kaon.dask.run_executable(command, demo / "data" / "samples.yml", scheduler=cluster.address, progress=False)
    run.results.write(tmp_path)
    assert_same_outputs(tmp_path, demo / "local")
    with pytest.raises(kaon.KaonError, match="exit status"):
        kaon.dask.run_executable([KAON, "run", "-", "--analysis", "nope"], demo / "data" / "samples.yml",
                                 scheduler=cluster.address, progress=False)


@pytest.fixture(scope="module")
def adl_sample(tmp_path_factory):
    """20k events in one cluster: blocks of 250 entries cut it into 20 work items, each
    decompressing the whole cluster, long enough to kill a worker in the middle."""
    path = tmp_path_factory.mktemp("adl") / "adl-20000.root"
    subprocess.run([sys.executable, str(SHARED / "tools" / "make_adl_sample.py"), "--events", "20000", "--out", str(path),
                    "--compression", "zstd:5"], check=True, capture_output=True)
    return path


def test_a_worker_killed_mid_run_leaves_the_result_identical(cluster, workers, adl_sample):
    workers(1)
    victim = cluster.workers[0]
    outcome = {}
    run = threading.Thread(target=lambda: outcome.update(
        run=kaon.dask.adl(adl_sample, scheduler=cluster.address, block_size=250, progress=False)))
    run.start()
    # Kill the only worker once it holds finished partials not yet merged (merges take 8):
    # they are lost with it, and Dask must recompute them on the worker started meanwhile.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        held = [key for keys in cluster.client.has_what().values() for key in keys if str(key).startswith("kaon-item-")]
        if len(held) >= 2:
            break
        time.sleep(0.05)
    assert len(held) >= 2, "the worker finished no work item in time"
    (victim_address,) = cluster.client.scheduler_info()["workers"]
    # Killed at once (starting a worker takes seconds, the whole run a fraction of one), then
    # replaced: the tasks wait for the new worker, which recomputes what was lost.
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=60)
    cluster.add_workers(1)
    run.join(timeout=600)
    assert not run.is_alive() and "run" in outcome
    finished = outcome["run"]
    local = kaon.adl(adl_sample, block_size=250)
    assert finished.results.adl_json() == kaon_cli("adl", adl_sample, "--json").stdout.strip()
    assert finished.results.adl_histograms() == local
    assert finished.results.summary["entries"] == 20_000
    assert len(finished.items) == 20
    # The lost partials were recomputed by the worker started meanwhile. (The scheduler may
    # still list the killed worker for a while, so it is not asked who survived.)
    assert set(finished.workers) - {victim_address}


@pytest.fixture(scope="module")
def damaged_samples(demo, tmp_path_factory):
    """The demo's samples with a copy of SingleMuon_2.root whose baskets are zeroed: it opens
    and plans, and its work item fails while reading."""
    folder = tmp_path_factory.mktemp("damaged")
    for path in (demo / "data").glob("*.root"):
        shutil.copy(path, folder / path.name)
    damaged = folder / "SingleMuon_2.root"
    with uproot.open(damaged) as file:
        tree = file["Events"]
        seeks = [seek for branch in tree.branches for seek in branch.member("fBasketSeek")[:branch.num_baskets]]
    data = bytearray(damaged.read_bytes())
    data[min(seeks):max(seeks)] = bytes(max(seeks) - min(seeks))
    damaged.write_bytes(bytes(data))
    text = (demo / "data" / "samples.yml").read_text()
    (folder / "samples.yml").write_text(text)
    return folder


def test_a_failing_work_item_follows_the_failure_policy(cluster, workers, damaged_samples, tmp_path):
    workers(2)
    samples = damaged_samples / "samples.yml"
    damaged = str(damaged_samples / "SingleMuon_2.root")
    failed = run_cli("run", samples, "--analysis", "dimuon", "-o", tmp_path / "fail", "--scheduler", cluster.address)
    assert failed.returncode == 1
    assert damaged in failed.stderr and "basket" in failed.stderr
    assert not (tmp_path / "fail" / "results.json").exists()
    skipped = run_cli("run", samples, "--analysis", "dimuon", "-o", tmp_path / "skip", "--on-failure", "skip",
                      "--scheduler", cluster.address)
    assert skipped.returncode == 0, skipped.stderr
    assert f"skipped {damaged}: " in skipped.stdout
    kaon_cli("run", samples, "--analysis", "dimuon", "-o", tmp_path / "local", "--on-failure", "skip", "--threads", "1")
    assert_same_outputs(tmp_path / "skip", tmp_path / "local")


def test_an_unopenable_file_follows_the_failure_policy(cluster, workers, demo, tmp_path):
    workers(1)
    bad = tmp_path / "garbage.root"
    bad.write_bytes(b"not a ROOT file " * 64)
    good = demo / "data" / "SingleMuon_1.root"
    failed = run_cli("adl", good, bad, "--scheduler", cluster.address)
    assert failed.returncode == 1 and str(bad) in failed.stderr
    run = kaon.dask.run([good, bad], analysis="dimuon", scheduler=cluster.address, on_failure="skip", progress=False)
    assert run.unreadable and run.unreadable[0]["file"] == str(bad)
    assert [entry["file"] for entry in run.results.summary["skipped"]] == [str(bad)]
    assert run.results.histograms() == kaon.run([good], analysis="dimuon").histograms()


def test_a_wrong_scheduler_is_a_clear_error_within_seconds(tmp_path):
    unreachable = f"tcp://127.0.0.1:{free_port()}"
    start = time.monotonic()
    result = run_cli("adl", ADL_FILE, "--scheduler", unreachable)
    assert result.returncode == 1
    assert f"cannot reach the Dask scheduler at {unreachable}" in result.stderr
    assert time.monotonic() - start < 30
    malformed = run_cli("adl", ADL_FILE, "--scheduler", "127.0.0.1")
    assert malformed.returncode == 64 and "--scheduler must be a scheduler address" in malformed.stderr
    missing = subprocess.run([KAON, "adl", str(ADL_FILE), "--scheduler", unreachable], capture_output=True, text=True,
                             timeout=60, env={**os.environ, "KAON_PYTHON": str(tmp_path / "no-python")})
    assert missing.returncode == 1 and "needs Python with the kaon package and Dask" in missing.stderr
    with pytest.raises(kaon.dask.SchedulerError, match="cannot reach"):
        kaon.dask.adl(ADL_FILE, scheduler=unreachable, progress=False)


def test_jobqueue_job_scripts_start_one_thread_workers_in_the_image():
    """deploy/dask/clusters.py (the recipes of deploy/dask/README.md): the job scripts
    dask-jobqueue writes run a one-thread dask worker with the image's Python."""
    pytest.importorskip("dask_jobqueue")
    sys.path.insert(0, str(REPO / "deploy" / "dask"))
    import clusters

    worker = "apptainer exec --bind=/data /shared/kaon-worker.sif python3 -m distributed.cli.dask_worker tcp://127.0.0.1:"
    slurm = clusters.slurm_cluster(image="/shared/kaon-worker.sif", binds=["/data"], queue="short", walltime="02:00:00",
                                   scheduler_options={"host": "127.0.0.1"})
    try:
        script = slurm.job_script()
    finally:
        slurm.close()
    assert "#SBATCH -p short" in script and "#SBATCH -t 02:00:00" in script and "#SBATCH --cpus-per-task=1" in script
    assert worker in script and "--nthreads 1" in script
    condor = clusters.htcondor_cluster(image="/shared/kaon-worker.sif", binds=["/data"], scheduler_options={"host": "127.0.0.1"})
    try:
        script = condor.job_script()
    finally:
        condor.close()
    assert "MY.DaskWorkerCores = 1" in script and worker in script and "--nthreads 1" in script
