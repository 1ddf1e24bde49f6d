"""I/O statistics and request planning over https:// (issue 16, item 3), checked against
the server's own record: nginx's access log has one line per request with the body bytes it
sent (remote_servers.py), so Kaon's reported requests and bytes must equal the log's, and
the planned reads must show in it as one multi-range request per cluster."""
import json
import os
import re
import subprocess

import pytest
import uproot

from conftest import KAON, SHARED
from remote_servers import HTTPSServer, XRootDServer

ROOT_DATA = SHARED / "data" / "root"
HZZ = ROOT_DATA / "uproot-HZZ-zstd.root"
NANO = ROOT_DATA / "nanoAOD_2015_CMS_Open_Data_ttbar.root"
ADL = ROOT_DATA / "root-6.40-adl-2000-zstd.root"


@pytest.fixture(scope="module")
def server():
    with HTTPSServer([HZZ, NANO, ADL], "unused-token") as running:
        yield running


@pytest.fixture(scope="module")
def xrootd():
    with XRootDServer([ADL]) as running:
        yield running


def run(server, *args, read_ahead_when_opening=True):
    """Kaon with `args`; `read_ahead_when_opening=False` turns off the opening read of the
    file's first and last bytes (KAON_OPENING_READ=0,0), which would hold every basket of
    these small files, so that reads reach the server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEARER_TOKEN")}
    env.update(CURL_CA_BUNDLE=server.certificate, XDG_RUNTIME_DIR="/nonexistent")
    if not read_ahead_when_opening:
        env["KAON_OPENING_READ"] = "0,0"
    return subprocess.run([KAON, *map(str, args)], capture_output=True, text=True, env=env, timeout=600)


def logged(server, before):
    """The access-log lines written since `before` lines: (range header, body bytes)."""
    parsed = []
    for line in server.requests_since(before):
        match = re.match(r'GET \S+ (\d+) "([^"]*)" (\d+) ', line)
        assert match, line
        parsed.append((match.group(2), int(match.group(3))))
    return parsed


def test_scan_counts_equal_the_access_log_and_one_request_per_cluster(server):
    def scan(*options):
        before = len(server.requests())
        result = run(server, "scan", f"{server.url}/{ADL.name}:Events", "--json", *options, read_ahead_when_opening=False)
        assert result.returncode == 0, result.stderr
        io = json.loads(result.stdout)["io"]
        log = logged(server, before)
        assert io["requests"] == len(log)
        assert io["bytes"] == sum(size for _, size in log)
        return len(log)

    planned, unplanned = scan(), scan("--read-planning", "never")
    tree = uproot.open(ADL)["Events"]
    clusters = len(tree.common_entry_offsets()) - 1
    baskets = sum(branch.num_baskets for branch in tree.branches)
    # Both open the file alike; then unplanned asks once per basket, planned once per cluster
    # (all of a cluster's baskets in one request).
    assert unplanned - baskets == planned - clusters
    assert planned < unplanned


def test_adl_reports_the_requests_nginx_logged(server):
    before = len(server.requests())
    result = run(server, "adl", f"{server.url}/{ADL.name}", "--json")
    assert result.returncode == 0, result.stderr
    match = re.search(r"I/O: (.+) in (\d+) requests?, (\d+) round trips?", result.stderr)
    assert match, result.stderr
    assert int(match.group(2)) == len(logged(server, before))
    assert int(match.group(3)) <= int(match.group(2))


def test_local_reads_report_io_only_when_asked():
    plain = subprocess.run([KAON, "show", f"{HZZ}:events"], capture_output=True, text=True)
    asked = subprocess.run([KAON, "show", f"{HZZ}:events", "--io-stats"], capture_output=True, text=True)
    assert "I/O:" not in plain.stdout
    match = re.search(r"I/O: .+ in (\d+) requests?, (\d+) round trips?", asked.stdout)
    assert match and int(match.group(1)) > 0, asked.stdout


def test_dump_opens_a_remote_file_once(server):
    """Every open starts with one request for the file's first and last bytes (which also
    gives its size): `Range: bytes=0-H,-T`."""
    before = len(server.requests())
    result = run(server, "dump", f"{server.url}/{HZZ.name}:events", "-b", "NMuon")
    assert result.returncode == 0, result.stderr
    probes = [header for header, _ in logged(server, before) if re.fullmatch(r"bytes=0-\d+,-\d+", header)]
    assert len(probes) == 1
    assert json.loads(result.stdout)["NMuon"] == uproot.open(HZZ)["events"]["NMuon"].array().tolist()


def test_planned_adl_over_https_equals_the_unplanned_and_the_local_run(server):
    url = f"{server.url}/{ADL.name}"
    local = run(server, "adl", ADL, "--json")
    planned = run(server, "adl", url, "--json", "--block-size", "500", read_ahead_when_opening=False)
    unplanned = run(server, "adl", url, "--json", "--block-size", "500", "--read-planning", "never", read_ahead_when_opening=False)
    for result in (local, planned, unplanned):
        assert result.returncode == 0, result.stderr
    assert planned.stdout == local.stdout == unplanned.stdout


def test_planned_reads_over_root_equal_the_local_run_in_fewer_round_trips(server, xrootd):
    """xrootd logs no requests by default, so here the counts are Kaon's: a planned scan
    differs from an unplanned one by exactly one readv per cluster instead of one read per
    basket, and a planned ADL run equals the local one."""
    url = f"{xrootd.url}/{ADL.name}"

    def scan(*options):
        result = run(server, "scan", f"{url}:Events", "--json", *options, read_ahead_when_opening=False)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["io"]

    planned, unplanned = scan(), scan("--read-planning", "never")
    tree = uproot.open(ADL)["Events"]
    clusters = len(tree.common_entry_offsets()) - 1
    baskets = sum(branch.num_baskets for branch in tree.branches)
    assert unplanned["round_trips"] - baskets == planned["round_trips"] - clusters
    assert planned["bytes"] >= unplanned["bytes"]  # coalescing reads the gaps too
    local = run(server, "adl", ADL, "--json")
    remote = run(server, "adl", url, "--json", "--block-size", "500", read_ahead_when_opening=False)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout
    assert "I/O:" in remote.stderr
