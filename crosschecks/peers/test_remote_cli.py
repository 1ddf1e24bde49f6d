"""`kaon` commands on https:// and root:// URLs (issue 16), against a real nginx and a real
xrootd on loopback started by the test (remote_servers.py): the URL is not split at its scheme's or port's `:`, values read
over HTTPS equal uproot's reading of the local file, a wrong bearer token is a clear 403
that never prints the token, and the right one (from BEARER_TOKEN or BEARER_TOKEN_FILE)
opens the file without it appearing in the output."""
import json
import os
import subprocess
import uuid

import awkward as ak
import numpy as np
import pytest
import uproot

from conftest import KAON, SHARED
from remote_servers import HTTPSServer, XRootDServer

ROOT_DATA = SHARED / "data" / "root"
HZZ = ROOT_DATA / "uproot-HZZ-zstd.root"
NANO = ROOT_DATA / "nanoAOD_2015_CMS_Open_Data_ttbar.root"
ADL = ROOT_DATA / "root-6.40-adl-2000-zstd.root"
TOKEN = f"kaon-cli-token-{uuid.uuid4()}"


@pytest.fixture(scope="module")
def server():
    with HTTPSServer([HZZ, NANO, ADL], TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def xrootd():
    with XRootDServer([HZZ, NANO, ADL]) as running:
        yield running


def run(server, *args, **variables):
    """kaon with the server's certificate trusted and no token unless given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEARER_TOKEN")}
    env.update(CURL_CA_BUNDLE=server.certificate, XDG_RUNTIME_DIR="/nonexistent", **variables)
    return subprocess.run([KAON, *map(str, args)], capture_output=True, text=True, env=env, timeout=600)


def test_ls_url_with_port_lists_the_same_keys_as_the_local_file(server):
    url = f"{server.url}/{HZZ.name}"
    remote = run(server, "ls", url)
    local = run(server, "ls", HZZ)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout.replace(url, str(HZZ)) == local.stdout
    assert "events" in remote.stdout


def test_show_url_object_is_split_after_the_host(server):
    remote = run(server, "show", f"{server.url}/{NANO.name}:Events")
    local = run(server, "show", f"{NANO}:Events")
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout.replace(f"{server.url}/{NANO.name}", str(NANO)) == local.stdout


def test_dump_over_https_equals_uproot(server):
    # Muon_Px has two baskets: Kaon asks for both in one multi-range request (with no opening
    # read, which would bring this small file whole).
    result = run(server, "dump", f"{server.url}/{HZZ.name}:events", "-b", "NMuon", "-b", "Muon_Px", KAON_OPENING_READ="0,0")
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    expected = uproot.open(HZZ)["events"].arrays(["NMuon", "Muon_Px"])
    assert got["NMuon"] == expected["NMuon"].tolist()
    assert [[np.float32(x) for x in row] for row in got["Muon_Px"]] == \
        [[np.float32(x) for x in row] for row in ak.to_list(expected["Muon_Px"])]
    assert any('"bytes=' in line and "," in line and " 206 " in line for line in server.requests()), server.requests()


def test_chain_of_urls_with_a_query_equals_uproot(server):
    """A URL is never globbed (its `?` starts a query, which nginx ignores) and the FILE:TREE
    split happens after the query too."""
    url = f"{server.url}/{HZZ.name}"
    result = run(server, "dump", f"{url}?replica=1:events", f"{url}:events", "-b", "NMuon")
    assert result.returncode == 0, result.stderr
    expected = uproot.open(HZZ)["events"]["NMuon"].array().tolist()
    assert json.loads(result.stdout)["NMuon"] == expected + expected


def test_wrong_token_is_a_clear_403_without_the_token(server, tmp_path):
    url = f"{server.url}/protected/{HZZ.name}"
    wrong = f"wrong-{TOKEN}"
    for variables in ({"BEARER_TOKEN": wrong}, {}):
        result = run(server, "ls", url, **variables)
        assert result.returncode == 1
        assert f"{url}: access denied (HTTP 403 Forbidden)" in result.stderr, result.stderr
        assert TOKEN not in result.stderr + result.stdout


def test_right_token_opens_the_file_and_is_never_printed(server, tmp_path):
    url = f"{server.url}/protected/{HZZ.name}"
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    for variables in ({"BEARER_TOKEN": TOKEN}, {"BEARER_TOKEN_FILE": str(token_file)}):
        result = run(server, "show", f"{url}:events", **variables)
        assert result.returncode == 0, result.stderr
        assert "Jet_Px" in result.stdout
        assert TOKEN not in result.stdout + result.stderr


def test_untrusted_certificate_is_a_clear_error(server):
    env = {k: v for k, v in os.environ.items() if k not in ("CURL_CA_BUNDLE", "SSL_CERT_FILE")}
    result = subprocess.run([KAON, "ls", f"{server.url}/{HZZ.name}"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert f"{server.url}/{HZZ.name}: HTTP request failed:" in result.stderr, result.stderr
    assert "certificate" in result.stderr.lower(), result.stderr


def test_root_url_ls_and_show_match_the_local_file(xrootd, server):
    for command, remote_name, local_name in (("ls", f"{xrootd.url}/{HZZ.name}", HZZ),
                                             ("show", f"{xrootd.url}/{NANO.name}:Events", f"{NANO}:Events")):
        remote = run(server, command, remote_name)
        local = run(server, command, local_name)
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout.replace(f"{xrootd.url}/", f"{ROOT_DATA}/") == local.stdout


def test_dump_over_root_equals_uproot(xrootd, server):
    result = run(server, "dump", f"{xrootd.url}/{HZZ.name}:events", "-b", "Muon_Px")
    assert result.returncode == 0, result.stderr
    expected = uproot.open(HZZ)["events"]["Muon_Px"].array()
    assert [[np.float32(x) for x in row] for row in json.loads(result.stdout)["Muon_Px"]] == \
        [[np.float32(x) for x in row] for row in ak.to_list(expected)]


def test_missing_root_file_names_the_url(xrootd, server):
    url = f"{xrootd.url}/no-such-file.root"
    result = run(server, "ls", url)
    assert result.returncode == 1
    assert f"{url}: XRootD: " in result.stderr and "no such file" in result.stderr.lower(), result.stderr


def test_adl_over_https_and_root_equals_the_local_run(server, xrootd):
    """The eight ADL queries (checked against coffea/uproot in test_adl.py on local files) give
    the same JSON over both protocols."""
    local = run(server, "adl", ADL, "--json")
    assert local.returncode == 0, local.stderr
    for url in (f"{server.url}/{ADL.name}", f"{xrootd.url}/{ADL.name}"):
        remote = run(server, "adl", url, "--json")
        assert remote.returncode == 0, remote.stderr
        assert json.loads(remote.stdout) == json.loads(local.stdout), url
