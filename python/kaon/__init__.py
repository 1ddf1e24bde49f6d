"""Kaon from Python: read ROOT files with uproot's interface, through Kaon's Swift library.

    import kaon
    with kaon.open("file.root") as f:
        events = f["Events"].arrays(["Muon_pt", "nMuon"], library="np")
        h = f["hist"].to_hist()

Arrays are NumPy/awkward arrays over Kaon's own buffers (no copy). Files are written with
`kaon.recreate` (histograms and trees, uproot's interface).
"""

import glob as _glob
import os as _os

from ._engine import Results, adl, adl_spec, analysis_spec, merge_partials, plan as plan_work_items, run, run_work_item
from ._errors import DamagedFileError, KaonError, KaonFileNotFoundError, KaonOSError, KeyInFileError, UnsupportedError, UsageError
from ._file import Directory, ReadOnlyFile
from ._histogram import Axis, Histogram
from ._tree import Tree, TreeBranch

__all__ = ["open", "concatenate", "iterate", "KaonError", "DamagedFileError", "UnsupportedError", "KeyInFileError",
           "KaonFileNotFoundError", "KaonOSError", "UsageError", "ReadOnlyFile", "Directory", "Tree", "TreeBranch",
           "Histogram", "Axis", "adl", "run", "run_work_item", "plan_work_items", "merge_partials", "Results", "adl_spec",
           "analysis_spec"]


def _split_object_path(spec):
    """uproot's "file.root:object" convention: the object path follows the last colon of the
    file part, which for a URL starts after its host (`https://host:8443/f.root:Events`)."""
    scheme = spec.find("://")
    after_host = spec.find("/", scheme + 3) if scheme >= 0 else 0
    colon = spec.rfind(":", max(after_host, 0))
    if colon <= 0 or after_host < 0:
        return spec, None
    return spec[:colon], spec[colon + 1:] or None


def open(path, *, object_path=None, decompression_threads=1):  # noqa: A001 - uproot's name
    """Opens a ROOT file by local path or URL (https://, root://). "file.root:Events" returns
    that object. `decompression_threads` > 1 reads the branches of each `arrays` call in
    parallel (up to one thread per core). Raises FileNotFoundError for a missing local file, kaon.KaonError otherwise."""
    path = _os.fspath(path)
    if object_path is None and not _os.path.exists(path):
        path, object_path = _split_object_path(path)
    file = ReadOnlyFile(path, decompression_threads=decompression_threads)
    return file[object_path] if object_path else file


def _trees(files):
    """Every (file path, tree path) of `files`: "pattern:tree" strings (globs expanded, sorted),
    or a list/dict of them as uproot accepts ({path: tree})."""
    if isinstance(files, dict):
        specs = list(files.items())
    else:
        specs = [_split_object_path(_os.fspath(spec)) for spec in ([files] if isinstance(files, (str, _os.PathLike)) else files)]
    result = []
    for pattern, tree in specs:
        if tree is None:
            raise UsageError(f"{pattern!r} names no tree: write it as 'files/*.root:TreeName'", "usage")
        matches = [pattern] if "://" in pattern else sorted(_glob.glob(pattern))
        if not matches:
            raise KaonFileNotFoundError(f"no files match {pattern!r}", "notFound")
        result.extend((match, tree) for match in matches)
    return result


def iterate(files, expressions=None, cut=None, *, step_size=100_000, library="ak", decompression_threads=1):
    """Yields arrays of `step_size` entries at a time from the trees of several files
    ("files/*.root:Events"); chunks do not cross file boundaries."""
    for path, tree_path in _trees(files):
        with open(path, decompression_threads=decompression_threads) as file:
            yield from file[tree_path].iterate(expressions, cut, step_size=step_size, library=library)


def concatenate(files, expressions=None, cut=None, *, library="ak", decompression_threads=1):
    """The arrays of the trees of several files ("files/*.root:Events"), joined end to end."""
    parts = []
    for path, tree_path in _trees(files):
        with open(path, decompression_threads=decompression_threads) as file:
            parts.append(file[tree_path].arrays(expressions, cut, library=library))
    if library in ("np", "numpy"):
        import numpy

        return {name: _concatenate_numpy([part[name] for part in parts], numpy) for name in parts[0]}
    import awkward

    return awkward.concatenate(parts)


def _concatenate_numpy(arrays, numpy):
    if arrays[0].dtype == object:
        # Object arrays of per-entry arrays: join the entries, not the arrays' contents.
        joined = numpy.empty(sum(len(array) for array in arrays), dtype=object)
        position = 0
        for array in arrays:
            joined[position:position + len(array)] = array
            position += len(array)
        return joined
    return numpy.concatenate(arrays)

from ._compression import LZ4, LZMA, ZLIB, ZSTD, Compression
from ._writable_file import WritableDirectory, WritableFile, create, recreate
from ._writable_tree import WritableTree

__all__ += ["recreate", "create", "WritableFile", "WritableDirectory", "WritableTree", "Compression", "ZLIB", "LZMA",
            "LZ4", "ZSTD"]

from ._inference import CLsResult, FitResult, LimitResult, Workspace, cls, fit, limit

__all__ += ["Workspace", "fit", "cls", "limit", "FitResult", "CLsResult", "LimitResult"]
