#!/usr/bin/env python3
"""Real file servers for the remote-reading tests, on free loopback ports: nginx for
https:// (HTTPSServer) and xrootd for root:// (XRootDServer; TokenXRootDServer admits WLCG
tokens only, over TLS).

nginx (Debian's `nginx`, installed by `make deps`) runs in the foreground from a temporary
prefix directory holding its configuration, a self-signed certificate for 127.0.0.1 made
with `openssl req -x509` at start, and a document root of symlinks to the files to serve.
nginx serves static files with byte ranges and multi-range `multipart/byteranges` answers.

Locations under the root:
  /FILE            every file, open to anyone
  /protected/FILE  answered 403 unless `Authorization: Bearer TOKEN`
  /slow/FILE       sent at 16 KiB/s, so a test can kill the server mid-transfer
  /single/FILE     multi-range requests answered with the whole file (max_ranges 1)
  /moved/FILE      a 302 redirect to /FILE
  /unavailable/*   always 503 Service Unavailable
The same locations are served in clear text on a second port (`plain_url`), to check that a
token is never sent there. The access log has one line per request:
`METHOD URI STATUS "RANGE" BYTES SCHEME AUTH`, AUTH being `authorization` when the request
carried an Authorization header and `-` otherwise (never the header itself).

xrootd (Debian's `xrootd-server`) refuses to run as root, so it runs as `-R nobody` over a
temporary export directory of copies of the files, owned by nobody, served at
root://127.0.0.1:PORT//FILE.

Used from pytest (`with HTTPSServer(files, token) as server: …`) and, for the Swift tests,
as a program: `remote_servers.py https --token T FILE…` or `remote_servers.py xrootd FILE…`
prints one JSON line (url, port, pid, and for https certificate and access_log) and serves
until its standard input closes.
"""
import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wlcg_tokens import ANY_AUDIENCE, TokenIssuer

CONFIG = """\
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 128; }}
http {{
    map $http_authorization $authorization {{ "" "-"; default "authorization"; }}
    log_format ranges '$request_method $uri $status "$http_range" $body_bytes_sent $scheme $authorization';
    access_log {prefix}/access.log ranges;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    default_type application/octet-stream;
    keepalive_requests 10000;
    server {{
        listen 127.0.0.1:{port} ssl;
        listen 127.0.0.1:{plain_port};
        ssl_certificate {prefix}/certificate.pem;
        ssl_certificate_key {prefix}/key.pem;
        # nginx 1.22 (Debian 12) offers TLS 1.2 only by default; grid storage speaks 1.3,
        # whose handshake takes one round trip instead of two.
        ssl_protocols TLSv1.2 TLSv1.3;
        root {prefix}/www;
        location /protected/ {{
            if ($http_authorization != "Bearer {token}") {{ return 403; }}
        }}
        location /slow/ {{ limit_rate 16k; }}
        location /single/ {{ max_ranges 1; }}
        location /moved/ {{ rewrite ^/moved/(.*)$ /$1 redirect; }}
        location /unavailable/ {{ return 503; }}
    }}
    # The same files over HTTP/2 (`h2_url`), logged with the protocol each request came in.
    log_format protocols '$server_protocol $request_method $uri $status "$http_range" $body_bytes_sent';
    server {{
        listen 127.0.0.1:{h2_port} ssl http2;
        ssl_certificate {prefix}/certificate.pem;
        ssl_certificate_key {prefix}/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        root {prefix}/www;
        access_log {prefix}/access-h2.log protocols;
    }}
}}
"""

LOCATIONS = ("protected", "slow", "single")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(process, port):
    """True once `port` accepts connections; False (the process killed) if it exits or takes
    more than 10 s."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    process.kill()
    process.wait()
    return False


def self_signed_certificate(directory):
    """`certificate.pem` and `key.pem` in `directory`: a self-signed certificate for 127.0.0.1."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", directory / "key.pem", "-out", directory / "certificate.pem", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)


class LoopbackServer:
    """A server process of the tests on 127.0.0.1, with its files in a temporary `prefix`;
    subclasses start it (`start` returns self). Used as a context manager, it is stopped and
    its files removed on exit."""

    def __init__(self, files, prefix):
        self.files = [Path(f).resolve() for f in files]
        self.prefix = Path(tempfile.mkdtemp(prefix=prefix))
        self.process = None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class HTTPSServer(LoopbackServer):
    """nginx serving `files` over HTTPS on 127.0.0.1; `token` guards /protected/."""

    def __init__(self, files, token):
        super().__init__(files, "kaon-nginx-")
        self.token = token

    def start(self):
        www = self.prefix / "www"
        for folder in ("", *LOCATIONS):
            (www / folder).mkdir(parents=True, exist_ok=True)
            for file in self.files:
                (www / folder / file.name).symlink_to(file)
        (self.prefix / "temp").mkdir()
        self_signed_certificate(self.prefix)
        for _ in range(10):  # another process may take the free port before nginx binds it
            self.port, self.plain_port, self.h2_port = free_port(), free_port(), free_port()
            (self.prefix / "nginx.conf").write_text(
                CONFIG.format(prefix=self.prefix, port=self.port, plain_port=self.plain_port, h2_port=self.h2_port,
                              token=self.token))
            self.process = subprocess.Popen(
                ["nginx", "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-e", str(self.prefix / "error.log")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if self._wait_until_listening():
                return self
        raise RuntimeError(f"nginx did not start: {(self.prefix / 'error.log').read_text()}")

    def _wait_until_listening(self):
        return wait_until_listening(self.process, self.port)

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    @property
    def plain_url(self):
        return f"http://127.0.0.1:{self.plain_port}"

    @property
    def h2_url(self):
        """The files (at the top only) over HTTP/2."""
        return f"https://127.0.0.1:{self.h2_port}"

    @property
    def h2_access_log(self):
        """One `PROTOCOL METHOD URI STATUS "RANGE" BYTES` line per request to `h2_url`."""
        return str(self.prefix / "access-h2.log")

    @property
    def certificate(self):
        return str(self.prefix / "certificate.pem")

    @property
    def access_log(self):
        return str(self.prefix / "access.log")

    def requests(self):
        """The access log's lines so far (nginx writes each when its request ends)."""
        path = Path(self.access_log)
        return path.read_text().splitlines() if path.exists() else []

    def requests_since(self, before):
        """The access log's lines after the first `before`, read once the log has stopped
        growing: nginx writes a line when it finalises a request, which can be just after the
        client has its answer."""
        lines = self.requests()[before:]
        for _ in range(20):
            time.sleep(0.05)
            again = self.requests()[before:]
            if len(again) == len(lines):
                break
            lines = again
        return lines



XROOTD_CONFIG = """\
xrd.port {port}
all.export /
oss.localroot {prefix}/data
all.adminpath {prefix}/admin
all.pidpath {prefix}/admin
"""


class XRootDServer(LoopbackServer):
    """xrootd serving copies of `files` (owned by nobody) on 127.0.0.1."""

    def __init__(self, files):
        super().__init__(files, "kaon-xrootd-")

    def start(self):
        nobody = pwd.getpwnam("nobody")
        for folder in ("data", "admin"):
            (self.prefix / folder).mkdir()
        for file in self.files:
            shutil.copyfile(file, self.prefix / "data" / file.name)
        self.prepare()
        for path in [self.prefix, *self.prefix.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        self.prefix.chmod(0o755)
        for _ in range(10):  # another process may take the free port before xrootd binds it
            self.port = free_port()
            (self.prefix / "xrootd.cfg").write_text(self.configuration())
            with open(self.prefix / "xrootd.log", "ab") as log:
                self.process = subprocess.Popen(
                    ["xrootd", "-R", "nobody", "-c", str(self.prefix / "xrootd.cfg")],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=self.environment())
            if wait_until_listening(self.process, self.port):
                return self
        raise RuntimeError(f"xrootd did not start: {(self.prefix / 'xrootd.log').read_text()[-2000:]}")

    @property
    def url(self):
        return f"root://127.0.0.1:{self.port}/"

    def prepare(self):
        """Files a subclass adds to the prefix before it is handed to nobody."""

    def configuration(self):
        return XROOTD_CONFIG.format(prefix=self.prefix, port=self.port)

    def environment(self):
        return None  # the test's own


TOKEN_XROOTD_CONFIG = """\
xrd.tls {prefix}/certificate.pem {prefix}/key.pem
xrd.tlsca certfile {prefix}/certificate.pem
xrootd.tls capable all
xrootd.seclib libXrdSec.so
sec.protocol ztn
sec.protbind * only ztn
ofs.authorize 1
ofs.authlib libXrdAccSciTokens.so config={prefix}/scitokens.cfg
"""

SCITOKENS_CONFIG = """\
[Global]
audience = {audience}

[Issuer kaon-test]
issuer = {issuer}
base_path = /
"""


class TokenXRootDServer(XRootDServer):
    """xrootd that admits WLCG bearer tokens only, as grid storage does: TLS with a
    self-signed certificate for 127.0.0.1 (clients trust it through `ca_directory` as
    X509_CERT_DIR), `ztn` as the only security protocol, and SciTokens authorization (Debian's
    `xrootd-scitokens-plugins`) of tokens from one issuer, `issuer` (wlcg_tokens.TokenIssuer),
    for the audience `audience`. Tokens with `storage.read:/` read every file."""

    def __init__(self, files, audience=ANY_AUDIENCE):
        super().__init__(files)
        self.audience = audience
        self.issuer = TokenIssuer(self.prefix)

    def prepare(self):
        self_signed_certificate(self.prefix)
        self.ca_directory = self.prefix / "ca"
        self.ca_directory.mkdir()
        shutil.copyfile(self.prefix / "certificate.pem", self.ca_directory / "certificate.pem")
        subprocess.run(["openssl", "rehash", self.ca_directory], check=True, capture_output=True)
        (self.prefix / "scitokens.cfg").write_text(SCITOKENS_CONFIG.format(audience=self.audience, issuer=self.issuer.url))
        self.issuer.register(self.prefix / "cache")

    def configuration(self):
        return super().configuration() + TOKEN_XROOTD_CONFIG.format(prefix=self.prefix)

    def environment(self):
        return {**os.environ, "XDG_CACHE_HOME": str(self.prefix / "cache")}



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["https", "xrootd"])
    parser.add_argument("--token", help="the bearer token /protected/ demands (https)")
    parser.add_argument("files", nargs="+")
    arguments = parser.parse_args()
    if arguments.kind == "https":
        server = HTTPSServer(arguments.files, arguments.token or "").start()
        info = {"certificate": server.certificate, "access_log": server.access_log, "plain_url": server.plain_url,
                "h2_url": server.h2_url, "h2_access_log": server.h2_access_log}
    else:
        server = XRootDServer(arguments.files).start()
        info = {}
    signal.signal(signal.SIGTERM, lambda *_: (server.stop(), sys.exit(0)))
    try:
        print(json.dumps({"url": server.url, "port": server.port, "pid": server.process.pid, **info}), flush=True)
        sys.stdin.read()  # until the test closes our standard input (or ends)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
