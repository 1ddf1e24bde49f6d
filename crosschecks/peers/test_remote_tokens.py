"""Reading root:// URLs from storage that admits WLCG bearer tokens only (issue 16): a real
xrootd on loopback with TLS, the `ztn` security protocol and SciTokens authorization
(remote_servers.TokenXRootDServer), tokens signed by a test issuer (wlcg_tokens.TokenIssuer).
Kaon passes no token itself: XrdCl's ztn plug-in discovers it as WLCG specifies. Checked: a
token from each discovery step reads values equal to uproot's reading of the local file; no
token, a token from another key, an expired token, a token whose scope or audience does not
cover the file, and an untrusted server certificate each give a clear error naming the URL;
the token never appears in any output."""
import json
import os
import subprocess

import numpy as np
import pytest
import uproot

from conftest import KAON, SHARED
from remote_servers import TokenXRootDServer
from wlcg_tokens import TokenIssuer

HZZ = SHARED / "data" / "root" / "uproot-HZZ-zstd.root"


@pytest.fixture(scope="module")
def storage():
    with TokenXRootDServer([HZZ]) as running:
        yield running


def run(storage, *args, trust=True, **variables):
    """kaon with no token but the ones given, and the server's certificate trusted."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEARER_TOKEN") and k != "X509_CERT_DIR"}
    env.update({"XDG_RUNTIME_DIR": "/nonexistent", **variables})
    if trust:
        env["X509_CERT_DIR"] = str(storage.ca_directory)
    return subprocess.run([KAON, *map(str, args)], capture_output=True, text=True, env=env, timeout=300)


def token_file(path, token):
    path.write_text(token + "\n")
    path.chmod(0o600)  # XrdCl's ztn refuses token files that group or others may read
    return str(path)


def test_a_token_from_each_discovery_step_reads_what_uproot_reads(storage, tmp_path):
    token = storage.issuer.token()
    url = f"{storage.url}/{HZZ.name}:events"
    expected = uproot.open(HZZ)["events"]["NMuon"].array(library="np").tolist()
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    token_file(runtime / f"bt_u{os.getuid()}", token)
    for variables in ({"BEARER_TOKEN": token},
                      {"BEARER_TOKEN_FILE": token_file(tmp_path / "token", token)},
                      {"XDG_RUNTIME_DIR": str(runtime)}):
        result = run(storage, "dump", url, "-b", "NMuon", **variables)
        assert result.returncode == 0, (variables.keys(), result.stderr)
        assert json.loads(result.stdout)["NMuon"] == expected
        assert token not in result.stdout + result.stderr


def test_a_histogram_over_token_storage_equals_numpy(storage, tmp_path):
    out = tmp_path / "met.json"
    result = run(storage, "draw", f"{storage.url}/{HZZ.name}:events", "MET_px", "--bins", "20,-100,100", "-o", out,
                 "--no-plot", BEARER_TOKEN=storage.issuer.token())
    assert result.returncode == 0, result.stderr
    values = uproot.open(HZZ)["events"]["MET_px"].array(library="np").astype(np.float64)
    counts, _ = np.histogram(values, bins=20, range=(-100, 100))
    flows = [np.count_nonzero(values < -100), np.count_nonzero(values >= 100)]
    assert json.loads(out.read_text())["storage"]["values"] == [flows[0], *counts.tolist(), flows[1]]


def test_no_token_says_where_a_token_is_looked_for(storage):
    url = f"{storage.url}/{HZZ.name}"
    result = run(storage, "ls", url)
    assert result.returncode == 1
    assert f"{url}: XRootD: " in result.stderr and "Auth failed" in result.stderr, result.stderr
    assert "no bearer token was found (a bearer token is read from BEARER_TOKEN, BEARER_TOKEN_FILE" in result.stderr


@pytest.mark.parametrize("kind", ["another issuer's key", "expired"])
def test_a_refused_token_is_a_clear_error_that_never_shows_it(storage, tmp_path, kind):
    if kind == "expired":
        token = storage.issuer.token(lifetime=-600)
    else:  # same issuer name and key id, another key: the signature does not verify
        token = TokenIssuer(tmp_path).token()
    url = f"{storage.url}/{HZZ.name}"
    result = run(storage, "ls", url, BEARER_TOKEN=token)
    assert result.returncode == 1
    assert f"{url}: XRootD: " in result.stderr and "the server refused the bearer token" in result.stderr, result.stderr
    assert token not in result.stdout + result.stderr
    assert token.split(".")[2] not in result.stderr  # nor its signature alone


@pytest.mark.parametrize("claims", [{"scope": "storage.read:/elsewhere"}, {"audience": "https://other.example"}])
def test_a_token_that_does_not_cover_the_file_is_access_denied(storage, claims):
    token = storage.issuer.token(**claims)
    url = f"{storage.url}/{HZZ.name}"
    result = run(storage, "ls", url, BEARER_TOKEN=token)
    assert result.returncode == 1
    assert f"{url}: XRootD: " in result.stderr and "permission denied" in result.stderr.lower(), result.stderr
    assert "the bearer token does not allow reading this path" in result.stderr
    assert token not in result.stdout + result.stderr


def test_an_untrusted_server_certificate_is_a_clear_error(storage):
    url = f"{storage.url}/{HZZ.name}"
    result = run(storage, "ls", url, trust=False, BEARER_TOKEN=storage.issuer.token(), X509_CERT_DIR="/nonexistent")
    assert result.returncode == 1
    assert f"{url}: XRootD: " in result.stderr and "X509_CERT_DIR" in result.stderr, result.stderr
