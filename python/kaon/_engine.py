"""Kaon's analyses from Python: the ADL benchmark queries (as `kaon adl`) and the example
analyses (as `kaon run --analysis`), run whole on this machine or one work item at a time.

A *job* is described by a spec (a dict, see `adl_spec` and `analysis_spec`). `plan(spec)` splits
it into work items with the engine's own planning (whole clusters of one file);
`run_work_item(plan.spec, item)` runs one item anywhere the package is installed and returns
Kaon's serialized partial results (`KAONRSLT` bytes); `merge_partials` merges partials in the
order given — `plan.head` first, then the items in plan order — into results equal to the local
run's. This is what `kaon.dask` distributes."""

import ctypes
import json
import os
from collections import namedtuple

from . import _library
from ._errors import KaonError, KaonFileNotFoundError
from ._library import call, call_json, encode, lib, take_string

_byte_pointer = ctypes.POINTER(ctypes.c_uint8)
_out_bytes = ctypes.POINTER(_byte_pointer)
_out_length = ctypes.POINTER(ctypes.c_int64)
_out_string = ctypes.POINTER(ctypes.c_void_p)

_library._declare("kaon_bytes_free", [ctypes.c_void_p], None)
_library._declare("kaon_job_plan", [ctypes.c_char_p, _out_string, _out_string])
_library._declare("kaon_job_run_item", [ctypes.c_char_p, ctypes.c_char_p, _out_bytes, _out_length, _out_string])
_library._declare("kaon_job_run", [ctypes.c_char_p, ctypes.c_int32, _out_bytes, _out_length, _out_string])
_library._declare("kaon_partials_merge", [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_int64), ctypes.c_int64,
                                          _out_bytes, _out_length, _out_string])
_library._declare("kaon_results_json", [ctypes.c_char_p, ctypes.c_int64, _out_string, _out_string])
_library._declare("kaon_results_adl_json", [ctypes.c_char_p, ctypes.c_int64, ctypes.c_char_p, ctypes.c_char_p, _out_string,
                                            _out_string])
_library._declare("kaon_results_write", [ctypes.c_char_p, ctypes.c_int64, ctypes.c_char_p, _out_string, _out_string])

Plan = namedtuple("Plan", "items unreadable spec head")
Plan.__doc__ = """A planned job: `items` (dicts with file, tree, first, end), in run order; `unreadable`
(dicts with file, error: files skipped under on_failure="skip"); `spec`, to run the items with
(samples resolved); `head`, the partial results without events to merge first."""


def _call_bytes(function, *arguments):
    """Calls a `kaon_*` function that hands out bytes; returns a copy and frees Swift's."""
    data = _byte_pointer()
    length = ctypes.c_int64()
    call(function, *arguments, ctypes.byref(data), ctypes.byref(length))
    try:
        return ctypes.string_at(data, length.value)
    finally:
        lib.kaon_bytes_free(ctypes.cast(data, ctypes.c_void_p))


def _paths(files):
    return [os.fspath(files)] if isinstance(files, (str, os.PathLike)) else [os.fspath(path) for path in files]


def adl_spec(files, *, queries="all", binning="root-project", tree="Events", block_size=100_000, on_failure="fail"):
    """The spec of the ADL benchmark queries over `files` (paths or globs), as `kaon adl`."""
    if not isinstance(queries, str):
        queries = ",".join(queries)
    return {"kind": "adl", "files": _paths(files), "tree": tree, "queries": queries, "binning": binning,
            "block_size": block_size, "on_failure": on_failure}


def analysis_spec(samples_or_files, *, analysis, tree="Events", sample="data", block_size=100_000, on_failure="fail"):
    """The spec of an analysis over a samples file (.yml or .yaml) or over files (paths or
    globs) as one data sample named `sample`. `analysis` is an example analysis's name
    (`kaon run --analysis NAME`) or an ADL file (a path ending in .adl, as `kaon run X.adl`),
    whose text goes into the spec so that workers need no copy of it."""
    if isinstance(analysis, (str, os.PathLike)) and os.fspath(analysis).lower().endswith(".adl"):
        path = os.fspath(analysis)
        try:
            with open(path, encoding="utf-8") as stream:
                source = stream.read()
        except OSError as error:
            raise KaonFileNotFoundError(f"{path}: cannot read ADL file: {error.strerror}", "notFound") from None
        spec = {"kind": "adl_file", "name": path, "source": source, "block_size": block_size, "on_failure": on_failure}
    else:
        spec = {"kind": "analysis", "analysis": analysis, "block_size": block_size, "on_failure": on_failure}
    if isinstance(samples_or_files, (str, os.PathLike)) and os.fspath(samples_or_files).endswith((".yml", ".yaml")):
        spec["samples_file"] = os.fspath(samples_or_files)
    else:
        spec.update(files=_paths(samples_or_files), tree=tree, sample=sample)
    return spec


def executable_spec(command, samples_or_files, *, tree="Events", sample="data", block_size=100_000, on_failure="fail"):
    """The spec of the analysis of a Swift executable (a `kaon new` package: `command` is its
    path, or a list of the path and leading arguments) over a samples file or files. The
    executable plans the run and runs each work item itself (`Analysis.serveWorkItemRequest`)."""
    spec = analysis_spec(samples_or_files, analysis=None, tree=tree, sample=sample, block_size=block_size, on_failure=on_failure)
    del spec["analysis"]
    spec.update(kind="executable", command=[os.fspath(command)] if isinstance(command, (str, os.PathLike))
                else [os.fspath(part) for part in command])
    return spec


def _request_executable(spec, action, item=None):
    """Runs the executable of an "executable" spec with a work-item request; the bytes it wrote."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kaon-item-") as folder:
        output = os.path.join(folder, "output")
        request = {"action": action, "spec": spec, "output": output}
        if item is not None:
            request["item"] = item
        command = [*spec["command"], "--kaon-work-item-request", json.dumps(request)]
        try:
            finished = subprocess.run(command, capture_output=True, text=True)
        except OSError as error:
            raise KaonError(f"cannot start the analysis executable {spec['command'][0]}: {error}", "system") from None
        if finished.returncode != 0 or not os.path.exists(output):
            message = (finished.stderr.strip() or finished.stdout.strip()).splitlines()
            raise KaonError(f"{spec['command'][0]} failed (exit status {finished.returncode})"
                            + (f": {message[-1]}" if message else ""))
        with open(output, "rb") as stream:
            return stream.read()


def plan(spec):
    """Splits a job into work items with the engine's planning (see `Plan`)."""
    if spec.get("kind") == "executable":
        found = json.loads(_request_executable(spec, "plan"))
        found["spec"] = dict(found["spec"], kind="executable", command=spec["command"])
    else:
        found = call_json(lib.kaon_job_plan, encode(json.dumps(spec)))
    return Plan(found["items"], found["unreadable"], found["spec"], bytes(found["head"]))


def run_work_item(spec, item):
    """Runs one work item of a planned job (`plan(...).spec` and one of its `items`) on one
    thread and returns its partial results (`KAONRSLT` bytes)."""
    if spec.get("kind") == "executable":
        return _request_executable(spec, "run", item)
    return _call_bytes(lib.kaon_job_run_item, encode(json.dumps(spec)), encode(json.dumps(item)))


def merge_partials(partials):
    """Merges partial results (bytes), in the order given, into one (bytes). Exact: any
    grouping of consecutive partials gives the same bytes of histograms."""
    partials = [bytes(part) for part in partials]
    if not partials:
        raise ValueError("merge_partials needs at least one partial result")
    pointers = (ctypes.c_char_p * len(partials))(*partials)
    lengths = (ctypes.c_int64 * len(partials))(*(len(part) for part in partials))
    return _call_bytes(lib.kaon_partials_merge, pointers, lengths, len(partials))


class Results:
    """Serialized analysis results (`bytes`) and what they hold: `analysis`, `summary` (dict:
    entries, work_items, seconds, threads, bytes_loaded, skipped, text), `cutflow` (the CLI's
    table), `samples`; `histograms()` as `hist.Hist`; `write(folder)` writes what `kaon run` writes."""

    def __init__(self, data):
        self.bytes = bytes(data)
        self._json = None

    def _document(self):
        if self._json is None:
            self._json = call_json(lib.kaon_results_json, self.bytes, len(self.bytes))
        return self._json

    @property
    def analysis(self):
        return self._document()["analysis"]

    @property
    def summary(self):
        return self._document()["summary"]

    @property
    def cutflow(self):
        return self._document()["cutflow"]

    @property
    def samples(self):
        return self._document()["samples"]

    def histograms(self):
        """Every histogram, normalised, as `{sample: {name: {variation: hist.Hist}}}`."""
        return _from_uhi(json.dumps(self._document()["histograms"]))

    def hist(self, name, sample, variation="nominal"):
        """One histogram as a `hist.Hist` (Weight storage, normalised)."""
        try:
            return self.histograms()[sample][name][variation]
        except KeyError:
            raise KeyError(f"no histogram {name!r} of sample {sample!r}, variation {variation!r}") from None

    def adl_json(self, queries="all", binning="root-project"):
        """The results of an ADL job as `kaon adl --json` prints them (UHI JSON text by key)."""
        if not isinstance(queries, str):
            queries = ",".join(queries)
        document = ctypes.c_void_p()
        call(lib.kaon_results_adl_json, self.bytes, len(self.bytes), encode(queries), encode(binning), ctypes.byref(document))
        return take_string(document)

    def adl_histograms(self, queries="all", binning="root-project"):
        """The results of an ADL job as `kaon.adl` gives them: `{key: hist.Hist}` of Int64 counts."""
        return _from_uhi(self.adl_json(queries, binning))

    def write(self, folder):
        """Writes results.root, results.json, cutflow.md and cutflow.json into `folder`; returns their paths."""
        return call_json(lib.kaon_results_write, self.bytes, len(self.bytes), encode(os.fspath(folder)))

    def __repr__(self):
        return f"<kaon.Results of {self.analysis!r}: {self.summary['text'].splitlines()[0]}>"


def _from_uhi(text):
    """UHI JSON (any nesting of dicts) with every histogram made a `hist.Hist`."""
    try:
        import hist
        import uhi.io.json
    except ImportError as error:
        raise ImportError("histograms as hist.Hist need the packages hist and uhi: pip install hist uhi") from error

    def convert(node):
        if isinstance(node, dict) and "axes" in node and "storage" in node:
            return hist.Hist(node)
        return {key: convert(value) for key, value in node.items()}

    return convert(json.loads(text, object_hook=uhi.io.json.object_hook))


def run_job(spec, threads=1):
    """Runs a whole job on this machine with `threads` threads; returns `Results`."""
    return Results(_call_bytes(lib.kaon_job_run, encode(json.dumps(spec)), int(threads)))


def adl(files, queries="all", threads=1, *, binning="root-project", tree="Events", block_size=100_000):
    """The ADL benchmark queries over `files` (paths or globs) on this machine, as `kaon adl`:
    a dict of `hist.Hist` (Int64 counts) by key (q1 … q8, q6pt and q6btag for q6)."""
    spec = adl_spec(files, queries=queries, binning=binning, tree=tree, block_size=block_size)
    return run_job(spec, threads).adl_histograms(spec["queries"], binning)


def run(samples_or_files, analysis, threads=1, *, tree="Events", sample="data", block_size=100_000, on_failure="fail"):
    """An example analysis (`kaon run --analysis NAME`) or an ADL file (`analysis="zmumu.adl"`,
    as `kaon run zmumu.adl`) over a samples file or files, on this machine; returns `Results`
    (`.write(folder)` writes what `kaon run -o folder` writes)."""
    spec = analysis_spec(samples_or_files, analysis=analysis, tree=tree, sample=sample, block_size=block_size,
                         on_failure=on_failure)
    return run_job(spec, threads)
