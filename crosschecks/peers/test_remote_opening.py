"""Requests a command makes to open and describe remote files (issue 16), counted in nginx's
access log (remote_servers.py): every open of a file starts with ONE request for its first
and last bytes (`Range: bytes=0-H,-T`), so counting those counts the opens.

- `kaon run` opens each file once (it opened each twice: to list the work items, then to run);
- `kaon show` reads every branch's first basket header in one request (it took two requests
  per branch), and prints what it prints for the local file."""
import json
import os
import re
import subprocess

import pytest
import uproot

from conftest import KAON, SHARED
from remote_servers import HTTPSServer

ROOT_DATA = SHARED / "data" / "root"
NANO = ROOT_DATA / "nanoAOD_2015_CMS_Open_Data_ttbar.root"
ADL = ROOT_DATA / "root-6.40-adl-2000-lz4.root"
OPENING = re.compile(r"bytes=0-\d+,-\d+")


def kaon(server, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEARER_TOKEN")}
    env.update(CURL_CA_BUNDLE=server.certificate, XDG_RUNTIME_DIR="/nonexistent")
    result = subprocess.run([KAON, *map(str, args)], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return result


def logged(server, before):
    """The range headers of the requests logged since `before` lines."""
    return [re.match(r'GET \S+ \d+ "([^"]*)"', line).group(1) for line in server.requests_since(before)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    subprocess.run([KAON, "demo", "--output", folder, "--scale", "0.01", "--threads", "2"], check=True,
                   capture_output=True, text=True)
    return folder


def test_run_opens_each_remote_file_once(demo, tmp_path):
    files = sorted((demo / "data").glob("SingleMuon_*.root"))
    assert len(files) >= 2
    with HTTPSServer(files, "unused-token") as server:
        def samples(locations, name):
            path = tmp_path / name
            listed = ", ".join(f'"{location}"' for location in locations)
            path.write_text(f"luminosity: 10\ntree: Events\nsamples:\n  SingleMuon: {{files: [{listed}], type: data}}\n")
            return path

        remote = samples([f"{server.url}/{file.name}" for file in files], "remote.yml")
        local = samples(files, "local.yml")
        before = len(server.requests())
        kaon(server, "run", remote, "--analysis", "dimuon", "-o", tmp_path / "remote", "--threads", "2")
        openings = [header for header in logged(server, before) if OPENING.fullmatch(header)]
        assert len(openings) == len(files)
        kaon(server, "run", local, "--analysis", "dimuon", "-o", tmp_path / "local", "--threads", "2")
        remote_results = json.loads((tmp_path / "remote" / "results.json").read_text())
        local_results = json.loads((tmp_path / "local" / "results.json").read_text())
        # The provenance names the URLs, and the same files by UUID and size.
        remote_inputs, local_inputs = remote_results.pop("provenance")["inputs"], local_results.pop("provenance")["inputs"]
        assert [i["path"] for i in remote_inputs] == [f"{server.url}/{file.name}" for file in files]
        assert [(i["uuid"], i["size"], i["entries"]) for i in remote_inputs] == \
            [(i["uuid"], i["size"], i["entries"]) for i in local_inputs]
        assert remote_results == local_results


# The NanoAOD file (378 kB) comes whole with the opening request: nothing more. The ADL file
# (829 kB) has its tree, streamers and keys list in its last bytes: then ONE request for every
# branch's first basket header.
@pytest.mark.parametrize("path, tree, requests", [(NANO, "Events", 1), (ADL, "Events", 2)])
def test_show_describes_a_remote_tree_in_one_request_after_opening(path, tree, requests):
    with HTTPSServer([path], "unused-token") as server:
        before = len(server.requests())
        remote = kaon(server, "show", f"{server.url}/{path.name}:{tree}", "--json")
        logged_requests = logged(server, before)
        assert OPENING.fullmatch(logged_requests[0]), logged_requests
        assert len(logged_requests) == requests, logged_requests
        assert len(uproot.open(path)[tree].branches) > 10
        local = kaon(server, "show", f"{path}:{tree}", "--json")
        assert json.loads(remote.stdout) == json.loads(local.stdout)


def test_opening_read_is_set_by_the_environment():
    """KAON_OPENING_READ=HEAD,TAIL sets the opening read: 0,0 asks for the size alone (one
    byte); a malformed value is an error naming the variable, before any request."""
    with HTTPSServer([ADL], "unused-token") as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BEARER_TOKEN")}
        env.update(CURL_CA_BUNDLE=server.certificate, XDG_RUNTIME_DIR="/nonexistent")
        url = f"{server.url}/{ADL.name}:Events"
        before = len(server.requests())
        plain = subprocess.run([KAON, "show", url], capture_output=True, text=True, env={**env, "KAON_OPENING_READ": "0,0"})
        assert plain.returncode == 0, plain.stderr
        assert logged(server, before)[0] == "bytes=0-0"
        before = len(server.requests())
        wrong = subprocess.run([KAON, "show", url], capture_output=True, text=True, env={**env, "KAON_OPENING_READ": "lots"})
        assert wrong.returncode == 1
        assert "KAON_OPENING_READ must be HEAD,TAIL in bytes" in wrong.stderr and "'lots'" in wrong.stderr
        assert logged(server, before) == []
