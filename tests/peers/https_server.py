#!/usr/bin/env python3
"""A real HTTPS file server for the remote-reading tests: nginx on a free loopback port.

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
The access log has one line per request: `METHOD URI STATUS "RANGE" BYTES`.

Used from pytest (`with HTTPSServer(files, token) as server: …`) and, for the Swift tests,
as a program: `https_server.py --token T FILE…` prints one JSON line (url, port, certificate,
access_log, pid) and serves until its standard input closes.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIG = """\
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 128; }}
http {{
    log_format ranges '$request_method $uri $status "$http_range" $body_bytes_sent';
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
        ssl_certificate {prefix}/certificate.pem;
        ssl_certificate_key {prefix}/key.pem;
        root {prefix}/www;
        location /protected/ {{
            if ($http_authorization != "Bearer {token}") {{ return 403; }}
        }}
        location /slow/ {{ limit_rate 16k; }}
        location /single/ {{ max_ranges 1; }}
        location /moved/ {{ rewrite ^/moved/(.*)$ /$1 redirect; }}
    }}
}}
"""

LOCATIONS = ("protected", "slow", "single")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HTTPSServer:
    """nginx serving `files` over HTTPS on 127.0.0.1; `token` guards /protected/."""

    def __init__(self, files, token):
        self.files = [Path(f).resolve() for f in files]
        self.token = token
        self.prefix = Path(tempfile.mkdtemp(prefix="kaon-nginx-"))
        self.process = None

    def start(self):
        www = self.prefix / "www"
        for folder in ("", *LOCATIONS):
            (www / folder).mkdir(parents=True, exist_ok=True)
            for file in self.files:
                (www / folder / file.name).symlink_to(file)
        (self.prefix / "temp").mkdir()
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", self.prefix / "key.pem", "-out", self.prefix / "certificate.pem", "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True)
        for _ in range(10):  # another process may take the free port before nginx binds it
            self.port = free_port()
            (self.prefix / "nginx.conf").write_text(CONFIG.format(prefix=self.prefix, port=self.port, token=self.token))
            self.process = subprocess.Popen(
                ["nginx", "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-e", str(self.prefix / "error.log")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if self._wait_until_listening():
                return self
        raise RuntimeError(f"nginx did not start: {(self.prefix / 'error.log').read_text()}")

    def _wait_until_listening(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return True
            except OSError:
                time.sleep(0.05)
        self.process.kill()
        return False

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

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

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token", required=True)
    parser.add_argument("files", nargs="+")
    arguments = parser.parse_args()
    server = HTTPSServer(arguments.files, arguments.token).start()
    signal.signal(signal.SIGTERM, lambda *_: (server.stop(), sys.exit(0)))
    try:
        print(json.dumps({"url": server.url, "port": server.port, "certificate": server.certificate,
                          "access_log": server.access_log, "pid": server.process.pid}), flush=True)
        sys.stdin.read()  # until the test closes our standard input (or ends)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
