"""A real Dask cluster on loopback for the tests (test_dask.py) and the Dask benchmark
(benchmarks/dask/run.py): a `dask scheduler` process and `dask worker` processes with one
thread each and no nanny (a killed worker stays dead), no memory limit and no dashboard.
Every process logs to FOLDER/NAME.log and runs with `kaon --scheduler`'s interpreter set
(KAON_PYTHON: this one, whose venv has kaon and dask)."""
import os
import subprocess
import sys
import time
from pathlib import Path

from remote_servers import free_port

DASK = str(Path(sys.executable).parent / "dask")
# kaon --scheduler runs python -m kaon.dask with this interpreter (and its kaon package).
ENVIRONMENT = {**os.environ, "KAON_PYTHON": sys.executable}


class Cluster:
    """The scheduler, started at once, and the workers `add_workers` starts; `client` is a
    distributed.Client connected to it."""

    def __init__(self, folder, client_timeout=60):
        import distributed

        self.folder = Path(folder)
        self.workers = []
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.scheduler = self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1],
                                      "--no-dashboard"], "scheduler")
        self.client = distributed.Client(self.address, timeout=client_timeout)

    def _start(self, command, name):
        log = open(self.folder / f"{name}.log", "w")
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=ENVIRONMENT)

    def add_workers(self, count, timeout=120):
        """Starts `count` more workers and waits until every running one has joined."""
        for _ in range(count):
            name = f"worker-{len(self.workers)}"
            self.workers.append(self._start([DASK, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                             "--memory-limit", "0", "--name", name], name))
        self.client.wait_for_workers(len(self.running()), timeout=timeout)

    def running(self):
        return [worker for worker in self.workers if worker.poll() is None]

    def stop_workers(self):
        """Stops every worker and waits until the scheduler has none left."""
        for worker in self.running():
            worker.terminate()
        for worker in self.workers:
            worker.wait(timeout=60)
        deadline = time.monotonic() + 60
        while self.client.scheduler_info()["workers"] and time.monotonic() < deadline:
            time.sleep(0.2)
        self.workers = []

    def close(self):
        self.stop_workers()
        self.client.close()
        self.scheduler.terminate()
        self.scheduler.wait(timeout=60)
