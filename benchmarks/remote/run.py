#!/usr/bin/env python3
"""Remote-read benchmark (issue 16): `kaon adl` (all eight queries in one pass) and a full-file
`kaon scan` over https:// (nginx) and root:// (xrootd) on loopback, with and without added
latency, against uproot reading the same URLs in the same run, and Kaon's local time.

Latency: the runner creates a network namespace (`ip netns add`), brings its loopback up and
runs the servers and every client inside it (`ip netns exec`). The added delay is the
kernel's (`tc qdisc add dev lo root netem delay D`, D = half the round trip) where the kernel
has `netem`; otherwise latency_proxy.py, a user-space TCP proxy in front of each server that
delays every byte by D in each direction. Where even the namespace is refused, everything runs
on the host's loopback. The table says which was used and why.

Prints a Markdown report: machine, commit, method; one row per tool × scheme × latency with
seconds, the ratio to Kaon's local time (for a remote Kaon row: to local runs alternated with
its runs, under the same load) and, for Kaon, bytes/requests/round trips (its --io-stats) and
round trips per cluster; then PASS/FAIL per target of issue 16.

Usage: python benchmarks/remote/run.py [--kaon .build/release/kaon] [--sample FILE | --events 1000000]
       [--rtt-ms 50] [--threads 1] [--repeat 1] [--skip-uproot]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BenchmarkError, ensure_sample, run_process, sample_arguments  # noqa: E402

SERVERS = os.path.join(REPO, "crosschecks", "peers", "remote_servers.py")
UPROOT_ADL = os.path.join(HERE, "uproot_adl_url.py")
UPROOT_SCAN = os.path.join(HERE, "uproot_scan.py")
PROXY = os.path.join(HERE, "latency_proxy.py")


class Network:
    """Where servers and clients run: a namespace when allowed, with netem or the proxy."""

    def __init__(self, rtt_ms):
        self.rtt_ms = rtt_ms
        self.namespace = f"kaon-remote-{os.getpid()}"
        self.notes = []
        self.netem = False
        try:
            subprocess.run(["ip", "netns", "add", self.namespace], check=True, capture_output=True, text=True)
            subprocess.run(["ip", "netns", "exec", self.namespace, "ip", "link", "set", "lo", "up"],
                           check=True, capture_output=True, text=True)
            self.notes.append(f"network namespace {self.namespace} (ip netns add; lo up)")
        except (OSError, subprocess.CalledProcessError) as error:
            reason = getattr(error, "stderr", None) or str(error)
            self.notes.append(f"no network namespace ({reason.strip()}): host loopback")
            self.namespace = None

    def prefix(self):
        return ["ip", "netns", "exec", self.namespace] if self.namespace else []

    def add_delay(self):
        """netem on lo for the latency rows; False (with the reason noted) when refused."""
        if not self.namespace:
            self.notes.append("netem needs the namespace: latency from latency_proxy.py")
            return False
        half = self.rtt_ms / 2
        result = subprocess.run(self.prefix() + ["tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", f"{half}ms"],
                                capture_output=True, text=True)
        if result.returncode == 0:
            self.netem = True
            self.notes.append(f"latency: tc netem delay {half} ms on lo (round trip {self.rtt_ms} ms)")
            return True
        self.notes.append(f"tc netem refused by this kernel ({(result.stderr or result.stdout).strip()}): latency from "
                          f"latency_proxy.py, {half} ms each way in user space (round trip {self.rtt_ms} ms)")
        return False

    def close(self):
        if self.namespace:
            subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(network, kind, sample):
    process = subprocess.Popen(network.prefix() + [sys.executable, SERVERS, kind, sample], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line:
        raise BenchmarkError(f"the {kind} server did not start")
    return process, json.loads(line)


def start_proxy(network, target_port, delay_ms):
    # The port is picked outside the namespace: free there too, since the namespace starts empty
    # (on the host loopback a clash is retried by the caller's failure).
    port = free_port()
    process = subprocess.Popen(network.prefix() + [sys.executable, PROXY, str(port), str(target_port), str(delay_ms)],
                               stdout=subprocess.PIPE, text=True)
    if process.stdout.readline().strip() != "ready":
        raise BenchmarkError("the latency proxy did not start")
    return process, port


def seconds_of(text):
    """Seconds from HumanFormat.duration ("2.35 s", "907 ms", "1.20 min")."""
    match = re.search(r"events in ([\d.]+) (ns|µs|ms|s|min|h) ", text)
    scale = {"ns": 1e-9, "µs": 1e-6, "ms": 1e-3, "s": 1, "min": 60, "h": 3600}
    return float(match.group(1)) * scale[match.group(2)]


def io_of(text):
    """Kaon's I/O line: (requests, round trips); bytes stay as printed."""
    match = re.search(r"I/O: (.+) in (\d+) requests?, (\d+) round trips?", text)
    return (match.group(1), int(match.group(2)), int(match.group(3))) if match else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sample_arguments(ap, REPO, repeat_help="runs per row; medians are shown")
    ap.set_defaults(repeat=1)
    ap.add_argument("--sample", help="the file to serve (default: the generated ZSTD-5 ADL sample of --events)")
    ap.add_argument("--rtt-ms", type=float, default=50)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--skip-uproot", action="store_true")
    args = ap.parse_args()
    kaon = os.path.abspath(args.kaon)
    try:
        sample = os.path.abspath(args.sample or ensure_sample(args.shared, args.data_dir, args.events, "zstd:5"))
    except BenchmarkError as error:
        sys.exit(str(error))
    for path in (kaon, sample):
        if not os.path.exists(path):
            sys.exit(f"not found: {path}")
    name = os.path.basename(sample)
    show = json.loads(subprocess.run([kaon, "show", "--json", f"{sample}:Events"], check=True, capture_output=True,
                                     text=True).stdout)
    clusters, entries = show["clusters"], show["entries"]
    network = Network(args.rtt_ms)
    rows, running = [], []
    try:
        https, https_info = start_server(network, "https", sample)
        xrootd, xrootd_info = start_server(network, "xrootd", sample)
        running += [https, xrootd]
        os.environ.update(CURL_CA_BUNDLE=https_info["certificate"], SSL_CERT_FILE=https_info["certificate"],
                          XDG_RUNTIME_DIR="/nonexistent")
        for variable in ("BEARER_TOKEN", "BEARER_TOKEN_FILE"):
            os.environ.pop(variable, None)
        uproot_root = can_uproot_read_root()

        def measure(tool, what, scheme, latency, location):
            # A remote Kaon row alternates with local runs of the same command, so that its
            # ratio compares times taken under the same load (other processes on the machine
            # make times drift by tens of per cent within minutes).
            interleave = tool == "Kaon" and scheme != "local"
            runs, local_runs = [], []
            for _ in range(args.repeat):
                if interleave:
                    local_runs.append(measure_once(tool, what, sample)[0])
                runs.append(measure_once(tool, what, location))
            seconds = statistics.median(seconds for seconds, _ in runs)
            io = runs[0][1]
            local_seconds = statistics.median(local_runs) if local_runs else None
            rows.append(dict(tool=tool, what=what, scheme=scheme, latency=latency, seconds=seconds, io=io,
                             local_seconds=local_seconds))
            beside = f" (local beside it {local_seconds:.2f} s)" if local_seconds else ""
            print(f"  {tool} {what} {scheme} {latency}: {seconds:.2f} s{beside} {io or ''}", file=sys.stderr, flush=True)

        def measure_once(tool, what, location):
            prefix = network.prefix()
            threads = ["--threads", str(args.threads)]
            if tool == "Kaon" and what == "all-8":
                run = run_process(prefix + [kaon, "adl", location, "--json", *threads, "--io-stats"])
                seconds, io = run.wall, io_of(run.stderr)
            elif tool == "Kaon":
                run = run_process(prefix + [kaon, "scan", f"{location}:Events", "--json", *threads])
                result = json.loads(run.stdout)
                seconds = run.wall
                io = (f"{result['io']['bytes'] / 1e6:.1f} MB", result["io"]["requests"], result["io"]["round_trips"])
            else:
                script = UPROOT_ADL if what == "all-8" else UPROOT_SCAN
                run = run_process(prefix + [sys.executable, script, location])
                seconds, io = json.loads(run.stdout.strip().splitlines()[-1])["seconds"], None
            return seconds, io

        def remote_round(latency, https_port, xrootd_port):
            for what in ("all-8", "scan"):
                measure("Kaon", what, "https", latency, f"https://127.0.0.1:{https_port}/{name}")
                measure("Kaon", what, "root", latency, f"root://127.0.0.1:{xrootd_port}//{name}")
                if not args.skip_uproot:
                    measure("uproot", what, "https", latency, f"https://127.0.0.1:{https_port}/{name}")
                    if uproot_root:
                        measure("uproot", what, "root", latency, f"root://127.0.0.1:{xrootd_port}//{name}")

        for what in ("all-8", "scan"):
            measure("Kaon", what, "local", "-", sample)
            if not args.skip_uproot:
                measure("uproot", what, "local", "-", sample)
        remote_round("0", https_info["port"], xrootd_info["port"])
        latency = f"{args.rtt_ms:g} ms"
        if network.add_delay():
            remote_round(latency, https_info["port"], xrootd_info["port"])
        else:
            # The proxy's own cost (Python copying every byte) shows in a round through it at 0 delay.
            for delay, label in ((0, "0, via proxy"), (args.rtt_ms / 2, latency)):
                proxies = [start_proxy(network, port, delay) for port in (https_info["port"], xrootd_info["port"])]
                running += [p for p, _ in proxies]
                remote_round(label, proxies[0][1], proxies[1][1])
        if not uproot_root:
            network.notes.append("uproot over root:// not measured: " + uproot_root.reason)
    finally:
        for process in running:
            if process.stdin:
                process.stdin.close()
            else:
                process.terminate()
            process.wait()
        network.close()
    print(report(rows, args, kaon, sample, clusters, entries, network))


class Unavailable:
    def __init__(self, reason):
        self.reason = reason

    def __bool__(self):
        return False


DEBIAN_BINDINGS = "/usr/lib/python3/dist-packages"


def can_uproot_read_root():
    """uproot reads root:// through XRootD's Python bindings (uproot_open.py). Without them in
    the peers' venv, Debian's python3-xrootd (built for CPython 3.11, as the venv) is made
    importable through PYTHONPATH — a folder holding links to its two packages only."""
    def importable():
        return subprocess.run([sys.executable, "-c", "import XRootD.client"], capture_output=True, text=True)

    if importable().returncode == 0:
        return True
    if os.path.isdir(os.path.join(DEBIAN_BINDINGS, "XRootD")) and sys.version_info[:2] == (3, 11):
        folder = tempfile.mkdtemp(prefix="kaon-xrootd-python-")
        for package in ("XRootD", "pyxrootd"):
            os.symlink(os.path.join(DEBIAN_BINDINGS, package), os.path.join(folder, package))
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [folder, os.environ.get("PYTHONPATH")]))
        result = importable()
        if result.returncode == 0:
            return True
    else:
        result = importable()
    last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "import failed"
    return Unavailable(f"XRootD's Python bindings are not importable ({last}); apt-get install python3-xrootd")


def report(rows, args, kaon, sample, clusters, entries, network):
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"Remote reads, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        f"sample: {os.path.basename(sample)} ({entries} entries, {clusters} clusters), threads {args.threads}, "
        f"median of {args.repeat} run(s) per row",
        "network: " + "; ".join(network.notes),
        "",
        "Kaon times are the whole process's wall time (open, plan, read, decode, fill); uproot's are its own",
        "timing of the loop (after Python's imports). Each remote Kaon run alternates with a local run of the",
        "same command: \"local beside\" is their median, and the ratio is to it.",
        "",
        "| tool | what | scheme | added RTT | seconds | local beside | ÷ local | I/O (Kaon --io-stats) | round trips / cluster |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    local = {r["what"]: r["seconds"] for r in rows if r["tool"] == "Kaon" and r["scheme"] == "local"}
    for r in rows:
        io = f"{r['io'][0]}, {r['io'][1]} requests, {r['io'][2]} round trips" if r["io"] else ""
        per_cluster = f"{r['io'][2] / clusters:.1f}" if r["io"] else ""
        beside = r["local_seconds"] or local[r["what"]]
        lines.append(f"| {r['tool']} | {r['what']} | {r['scheme']} | {r['latency']} | {r['seconds']:.2f} | "
                     f"{beside:.2f} | {r['seconds'] / beside:.2f} | {io} | {per_cluster} |")
    lines += ["", "Targets (issue 16), at the added round trip:"]
    latency = f"{args.rtt_ms:g} ms"
    for scheme in ("https", "root"):
        kaon_row = next((r for r in rows if r["tool"] == "Kaon" and r["what"] == "all-8" and r["scheme"] == scheme
                         and r["latency"] == latency), None)
        if not kaon_row:
            continue
        ratio = kaon_row["seconds"] / (kaon_row["local_seconds"] or local["all-8"])
        lines.append(f"- {scheme}: all-8 within 1.5× of local: {ratio:.2f}× — {'PASS' if ratio <= 1.5 else 'FAIL'}")
        peer = next((r for r in rows if r["tool"] == "uproot" and r["what"] == "all-8" and r["scheme"] == scheme
                     and r["latency"] == latency), None)
        if peer:
            speedup = peer["seconds"] / kaon_row["seconds"]
            lines.append(f"- {scheme}: ≥ 3× faster than uproot: {speedup:.1f}× — {'PASS' if speedup >= 3 else 'FAIL'}")
        else:
            lines.append(f"- {scheme}: ≥ 3× faster than uproot: not measured (see network/notes)")
        per_cluster = kaon_row["io"][2] / clusters
        lines.append(f"- {scheme}: ≤ 5 round trips per cluster: {per_cluster:.1f} (all {kaon_row['io'][2]} round trips "
                     f"of the process, opening included, over {clusters} clusters) — {'PASS' if per_cluster <= 5 else 'FAIL'}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
