"""Kaon on Dask: a job's work items (file, entry range of whole clusters) as Dask tasks.

    import kaon.dask
    run = kaon.dask.run("samples.yml", analysis="dimuon", scheduler="tcp://host:8786")
    run.results.write("out")          # what `kaon run -o out` writes, identical histograms
    print(run.report())               # work items, events/s, per-worker throughput

Each task runs one work item on its worker (`kaon.run_work_item`) and returns Kaon's
serialized partial results; the partials are merged on the cluster by a tree reduction that
keeps work-item order (merging is exact, so the grouping does not matter, and order keeps
`take` values in dataset order). Tasks are idempotent: Dask reruns those of a lost worker.
Under on_failure="fail" a work item whose file cannot be read stops the run with Kaon's
error; under "skip" the file is left out and listed in the summary, as in a local run.

`python -m kaon.dask` is what `kaon run --scheduler` and `kaon adl --scheduler` call."""

import argparse
import sys
import time
import uuid

from . import _engine

# How many partials one merge task combines: few levels of reduction, small merge tasks.
FAN_IN = 8


class SchedulerError(ConnectionError):
    """The Dask scheduler cannot be reached, or has no workers."""


def _distributed():
    try:
        import distributed
    except ImportError as error:
        raise ImportError("kaon.dask needs Dask's distributed scheduler: pip install dask distributed") from error
    return distributed


def _run_item(spec, item):
    """A task: one work item on the worker that runs it (imports kaon there)."""
    from kaon import _engine as engine

    return engine.run_work_item(spec, item)


def _merge(*partials):
    """A task: consecutive partials merged, in order."""
    from kaon import _engine as engine

    return engine.merge_partials(partials)


def connect(scheduler, timeout=5):
    """A `distributed.Client` of the scheduler at `scheduler` (tcp://HOST:PORT), or a
    SchedulerError naming it within `timeout` seconds."""
    distributed = _distributed()
    try:
        return distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None


class DaskRun:
    """A finished distributed run: `results` (`kaon.Results`), `items` (the work items),
    `seconds` (wall time), `workers` ({address: {"items", "entries", "seconds"}}: work items,
    their entries and compute seconds per worker) and `unreadable` files."""

    def __init__(self, results, items, seconds, workers, unreadable):
        self.results = results
        self.items = items
        self.seconds = seconds
        self.workers = workers
        self.unreadable = unreadable

    def report(self):
        """The run summary (the results' summary line and skipped files) and, per worker, its
        work items, events and events per second of compute."""
        entries = self.results.summary["entries"]  # of the items read (not those of skipped files)
        rate = entries / self.seconds if self.seconds > 0 else 0
        lines = [f"dask: {len(self.items)} work items, {entries} entries in {self.seconds:.2f} s on "
                 f"{len(self.workers)} worker(s): {_rate(rate)} events/s"]
        for address, stats in sorted(self.workers.items()):
            worker_rate = stats["entries"] / stats["seconds"] if stats["seconds"] > 0 else 0
            lines.append(f"  worker {address}: {stats['items']} work items, {stats['entries']} entries, "
                         f"{stats['seconds']:.2f} s computing: {_rate(worker_rate)} events/s")
        return "\n".join(lines)


def _rate(value):
    for factor, unit in ((1e6, "M"), (1e3, "k")):
        if value >= factor:
            return f"{value / factor:.1f} {unit}"
    return f"{value:.0f}"


def run_spec(spec, *, scheduler=None, client=None, progress=True, connect_timeout=5, worker_timeout=60):
    """Runs a job (a spec of `kaon._engine.adl_spec`/`analysis_spec`) on a Dask cluster, given
    its scheduler's address or a `distributed.Client`; returns a `DaskRun`."""
    distributed = _distributed()
    own_client = client is None
    if own_client:
        client = connect(scheduler, connect_timeout)
    try:
        return _run(distributed, client, spec, progress, worker_timeout)
    finally:
        if own_client:
            client.close()


def _run(distributed, client, spec, progress, worker_timeout):
    start = time.perf_counter()
    planned = _engine.plan(spec)
    try:
        client.wait_for_workers(1, timeout=worker_timeout)
    except (TimeoutError, OSError):
        raise SchedulerError(f"no Dask worker joined the scheduler {client.scheduler.address} within {worker_timeout} s") from None
    run_id = uuid.uuid4().hex[:12]
    keys = [f"kaon-item-{index}-{run_id}" for index in range(len(planned.items))]
    entries_of = {key: item["end"] - item["first"] for key, item in zip(keys, planned.items)}
    with distributed.get_task_stream(client) as stream:
        futures = [client.submit(_run_item, planned.spec, item, key=key, pure=False) for key, item in zip(keys, planned.items)]
        level = [planned.head, *futures]
        depth = 0
        while len(level) > 1:
            level = [client.submit(_merge, *level[k:k + FAN_IN], key=f"kaon-merge-{depth}-{k}-{run_id}", pure=False)
                     if len(level[k:k + FAN_IN]) > 1 else level[k] for k in range(0, len(level), FAN_IN)]
            depth += 1
        final = level[0]
        _follow(distributed, client, futures, planned.items, progress, start)
        merged = final.result() if futures else planned.head
    seconds = time.perf_counter() - start
    workers = {}
    for task in stream.data:
        entries = entries_of.get(task.get("key"))
        if entries is None:
            continue
        stats = workers.setdefault(task["worker"], {"items": 0, "entries": 0, "seconds": 0.0})
        stats["items"] += 1
        stats["entries"] += entries
        stats["seconds"] += sum(part["stop"] - part["start"] for part in task["startstops"] if part["action"] == "compute")
    return DaskRun(_engine.Results(merged), planned.items, seconds, workers, planned.unreadable)


def _follow(distributed, client, futures, items, progress, start):
    """Waits for every work item, showing items done and events/s on standard error; on a
    failed item cancels the run and raises its error, naming the item."""
    total = len(futures)
    done_items = done_entries = 0
    last_draw = 0.0
    interactive = sys.stderr.isatty()
    index_of = {future.key: index for index, future in enumerate(futures)}
    for future in distributed.as_completed(futures, loop=client.loop):
        index = index_of[future.key]
        if future.status == "error":
            error = future.exception()
            client.cancel(futures)
            item = items[index]
            message = f"work item {item['file']}:{item['tree']}[{item['first']}:{item['end']}]: {error}"
            raise type(error)(message) if isinstance(error, _engine.KaonError) else RuntimeError(message) from error
        done_items += 1
        done_entries += items[index]["end"] - items[index]["first"]
        now = time.perf_counter()
        if progress and (now - last_draw > (0.2 if interactive else 5) or done_items == total):
            last_draw = now
            elapsed = now - start
            line = f"{done_items}/{total} work items, {done_entries} entries, {_rate(done_entries / elapsed if elapsed else 0)} events/s"
            sys.stderr.write(("\r" + line + "   ") if interactive else line + "\n")
            sys.stderr.flush()
    if progress and interactive and total:
        sys.stderr.write("\n")


def run(samples_or_files, analysis, *, scheduler=None, client=None, tree="Events", sample="data", block_size=100_000,
        on_failure="fail", progress=True):
    """An example analysis (`kaon run --analysis NAME`) or an ADL file (`analysis="zmumu.adl"`)
    over a samples file or files on Dask."""
    spec = _engine.analysis_spec(samples_or_files, analysis=analysis, tree=tree, sample=sample, block_size=block_size,
                                 on_failure=on_failure)
    return run_spec(spec, scheduler=scheduler, client=client, progress=progress)


def run_executable(command, samples_or_files, *, scheduler=None, client=None, tree="Events", sample="data",
                   block_size=100_000, on_failure="fail", progress=True):
    """The analysis of a Swift executable (a `kaon new` package, built where the workers can
    run it: a shared file system or a container image) on Dask: each task starts the
    executable on one work item; partials are merged as for the other runs."""
    spec = _engine.executable_spec(command, samples_or_files, tree=tree, sample=sample, block_size=block_size,
                                   on_failure=on_failure)
    return run_spec(spec, scheduler=scheduler, client=client, progress=progress)


def adl(files, queries="all", *, scheduler=None, client=None, binning="root-project", tree="Events", block_size=100_000,
        on_failure="fail", progress=True):
    """The ADL benchmark queries on Dask: a `DaskRun`; `.results.adl_histograms(queries, binning)`
    gives the dict of `hist.Hist` `kaon.adl` gives."""
    spec = _engine.adl_spec(files, queries=queries, binning=binning, tree=tree, block_size=block_size, on_failure=on_failure)
    return run_spec(spec, scheduler=scheduler, client=client, progress=progress)


def main(argv=None):
    """`python -m kaon.dask {run,adl} --scheduler tcp://HOST:PORT …` (what the kaon CLI's
    --scheduler runs). With --partials-out the merged results are written there as bytes
    and the run report to --report, for the CLI to print; otherwise outputs are written
    (run: -o folder) or printed (adl: UHI JSON as `kaon adl --json`)."""
    parser = argparse.ArgumentParser(prog="python -m kaon.dask", description="Run a Kaon job on a Dask cluster.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "adl"):
        command = commands.add_parser(name)
        command.add_argument("inputs", nargs="+", help="run: a samples file or files; adl: files")
        command.add_argument("--scheduler", required=True, help="the Dask scheduler, tcp://HOST:PORT")
        command.add_argument("--tree", default="Events")
        command.add_argument("--block-size", type=int, default=100_000)
        command.add_argument("--on-failure", choices=("fail", "skip"), default="fail")
        command.add_argument("--partials-out", help="write the merged results (KAONRSLT bytes) here")
        command.add_argument("--report", help="write the Dask run report (text) here")
        command.add_argument("--connect-timeout", type=float, default=5)
        if name == "run":
            command.add_argument("--analysis", required=True, help="an example analysis's name, or an ADL file (.adl)")
            command.add_argument("-o", "--output", default=".")
        else:
            command.add_argument("--query", default="all")
            command.add_argument("--binning", default="root-project")
    arguments = parser.parse_args(argv)
    if arguments.command == "run":
        inputs = arguments.inputs[0] if len(arguments.inputs) == 1 and arguments.inputs[0].endswith((".yml", ".yaml")) \
            else arguments.inputs
        spec = _engine.analysis_spec(inputs, analysis=arguments.analysis, tree=arguments.tree,
                                     block_size=arguments.block_size, on_failure=arguments.on_failure)
    else:
        spec = _engine.adl_spec(arguments.inputs, queries=arguments.query, binning=arguments.binning, tree=arguments.tree,
                                block_size=arguments.block_size, on_failure=arguments.on_failure)
    try:
        finished = run_spec(spec, scheduler=arguments.scheduler, connect_timeout=arguments.connect_timeout)
    except (SchedulerError, _engine.KaonError, ImportError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if arguments.report:
        with open(arguments.report, "w") as stream:
            stream.write(finished.report() + "\n")
    if arguments.partials_out:
        with open(arguments.partials_out, "wb") as stream:
            stream.write(finished.results.bytes)
        return 0
    if arguments.command == "run":
        written = finished.results.write(arguments.output)
        print(finished.results.cutflow)
        print(finished.results.summary["text"])
        print(finished.report())
        print("written: " + ", ".join(written))
    else:
        print(finished.results.adl_json(arguments.query, arguments.binning))
        print(finished.report(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
