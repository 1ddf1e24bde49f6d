"""Helpers shared by the benchmark runners: measuring one child process, and the generated
NanoAOD-style samples (benchmarks/data/adl-<events>-<compression>.root)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass

MB = 1e6  # throughput and memory are in 10^6 bytes


class BenchmarkError(Exception):
    pass


@dataclass
class Process:
    """One finished child process."""
    wall: float  # seconds from start to exit
    rss_mb: float  # peak resident set size
    stdout: str
    stderr: str
    cpu: float = 0.0  # user + system CPU seconds of the child (all its threads)


# Every measured process is started by this small launcher, which forks, execs the command and
# reports the child's wall time and peak RSS. Linux carries the peak RSS of the process a child
# was forked (or vforked) from into the child's ru_maxrss, across exec: started directly from
# a driver (~70 MB with uproot imported) every child would report at least that. Forked from
# the launcher, a child's reported peak RSS has a floor of about 5 MB instead.
LAUNCHER = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as f:
    f.write(f"{wall} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_process(cmd: list[str]) -> Process:
    """Run cmd to completion; return its output, wall time and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as report:
        launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, report.name, *map(str, cmd)]
        returncode = subprocess.run(launcher, stdin=subprocess.DEVNULL, stdout=out, stderr=err).returncode
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
        measured = report.read().split()
    if returncode != 0:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-15:])
        raise BenchmarkError(f"command failed with exit status {returncode}:\n  {' '.join(map(str, cmd))}\n{tail}")
    wall, maxrss_kib = float(measured[0]), int(measured[1])
    return Process(wall, maxrss_kib * 1024 / MB, stdout, stderr, float(measured[2]))


def sample_path(data_dir: str, events: int, compression: str) -> str:
    return os.path.join(data_dir, f"adl-{events}-{compression.replace(':', '')}.root")


def ensure_sample(shared: str, data_dir: str, events: int, compression: str) -> str:
    """The generated sample, made with ../shared/tools/make_adl_sample.py if missing."""
    path = sample_path(data_dir, events, compression)
    if os.path.exists(path):
        return os.path.abspath(path)
    generator = os.path.join(shared, "tools", "make_adl_sample.py")
    if not os.path.exists(generator):
        raise BenchmarkError(f"sample generator not found: {generator} (is --shared right?)")
    os.makedirs(data_dir, exist_ok=True)
    partial = path + ".part"
    print(f"generating {os.path.relpath(path)} ({events} events, {compression}); lzma at 1M takes minutes",
          file=sys.stderr, flush=True)
    run_process([sys.executable, generator, "--events", str(events), "--out", partial, "--compression", compression])
    os.replace(partial, path)
    return os.path.abspath(path)


def sample_arguments(parser, repo: str, repeat_help: str = "runs per row; medians are shown"):
    """The options every runner on the generated ADL samples takes: the kaon binary, the
    shared folder (its generator), where samples live, their size and the repetitions."""
    parser.add_argument("--kaon", default=os.path.join(repo, ".build", "release", "kaon"))
    parser.add_argument("--shared", default=os.path.join(repo, "..", "shared"))
    parser.add_argument("--data-dir", default=os.path.join(repo, "benchmarks", "data"))
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help=repeat_help)
    return parser
