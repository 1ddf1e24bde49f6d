"""Open ROOT files and their directories, with uproot's interface: keys, classnames, [path]."""

import ctypes
import os
import weakref

from ._errors import KaonError, KaonFileNotFoundError, KeyInFileError, UnsupportedError, UsageError
from ._histogram import Histogram
from ._library import call, call_json, encode, lib
from ._tree import Tree

_HISTOGRAM_PREFIXES = ("TH1", "TH2", "TH3", "TProfile")


def _is_url(path):
    return "://" in path


class ReadOnlyFile:
    """An open ROOT file (`kaon.open`); a context manager, closed on exit."""

    def __init__(self, path, decompression_threads=1):
        self.file_path = os.fspath(path)
        self.decompression_threads = max(1, int(decompression_threads))
        handle = ctypes.c_void_p()
        try:
            call(lib.kaon_file_open, encode(self.file_path), ctypes.byref(handle))
        except KaonError as error:
            if not _is_url(self.file_path) and not os.path.exists(self.file_path):
                raise KaonFileNotFoundError(str(error), "notFound") from None
            raise
        self._handle = handle
        self._closer = weakref.finalize(self, lib.kaon_file_close, ctypes.c_void_p(handle.value))
        self._keys = call_json(lib.kaon_file_keys, handle)

    def close(self):
        """Releases the file; trees and arrays read from it stay valid (they keep it open)."""
        self._closer()

    @property
    def closed(self):
        return not self._closer.alive

    def open_handle(self):
        """The Swift file handle, or a UsageError once the file is closed (never a dangling
        pointer handed to Swift)."""
        if self.closed:
            raise UsageError(f"{self.file_path} is closed", "usage")
        return self._handle

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()

    def __repr__(self):
        return f"<ReadOnlyFile {self.file_path!r}>"

    @property
    def root_directory(self):
        return Directory(self, "")

    def keys(self, recursive=True, cycle=True):
        return self.root_directory.keys(recursive=recursive, cycle=cycle)

    def classnames(self, recursive=True, cycle=True):
        return self.root_directory.classnames(recursive=recursive, cycle=cycle)

    def __getitem__(self, path):
        return self.root_directory[path]

    def __contains__(self, path):
        return path in self.root_directory


class Directory:
    """A directory of an open file (`file["dir"]`)."""

    def __init__(self, file, path):
        self.file = file
        self.path = path

    def __repr__(self):
        return f"<TDirectory {self.path or '/'!r} in {self.file.file_path!r}>"

    def _entries(self, recursive):
        """(path relative to this directory, cycle, classname) of the keys below it."""
        prefix = self.path + "/" if self.path else ""
        for key in self.file._keys:
            if not key["path"].startswith(prefix):
                continue
            relative = key["path"][len(prefix):]
            if recursive or "/" not in relative:
                yield relative, key["cycle"], key["classname"]

    def keys(self, recursive=True, cycle=True):
        """Key paths below this directory ("dir/name;1"), depth first, as uproot's keys()."""
        return [f"{path};{number}" if cycle else path for path, number, _ in self._entries(recursive)]

    def classnames(self, recursive=True, cycle=True):
        return {f"{path};{number}" if cycle else path: classname for path, number, classname in self._entries(recursive)}

    def __contains__(self, path):
        try:
            self._lookup(path)
            return True
        except KeyError:
            return False

    def _lookup(self, path):
        """The full path (without cycle), the cycle asked for (or None) and the class name."""
        name, _, cycle_text = path.strip("/").partition(";")
        full = f"{self.path}/{name}" if self.path else name
        cycle = int(cycle_text) if cycle_text.isdigit() else None
        matches = [key for key in self.file._keys if key["path"] == full and (cycle is None or key["cycle"] == cycle)]
        if not matches:
            raise KeyInFileError(f"{self.file.file_path}: no object named {path!r}"
                                 + (f" in directory {self.path!r}" if self.path else ""), "notFound")
        best = max(matches, key=lambda key: key["cycle"])
        return full, best["cycle"], best["classname"]

    def __getitem__(self, path):
        full, cycle, classname = self._lookup(path)
        if classname in ("TDirectory", "TDirectoryFile"):
            return Directory(self.file, full)
        spec = f"{full};{cycle}"
        if classname in ("TTree", "TNtuple", "TNtupleD", "ROOT::RNTuple", "ROOT::Experimental::RNTuple"):
            return Tree(self.file, spec)
        if classname.startswith(_HISTOGRAM_PREFIXES):
            return Histogram(call_json(lib.kaon_histogram_json, self.file.open_handle(), encode(spec)))
        raise UnsupportedError(f"{self.file.file_path}: {full}: objects of class {classname} cannot be read from Python yet "
                               "(trees, RNTuples and histograms can)", "unsupported")
