"""ROOT files written from Python, with uproot's interface: `kaon.recreate(path, compression=…)`
returns a WritableFile; `f["h"] = histogram`, `f["Events"] = {…}`, `f.mktree(…)`,
`f.mkdir(…)`, "dir/name" paths, and `with` closing the file.

Kaon's writer writes under a temporary name and renames the file when it is closed, so the
file appears complete or not at all: it must be closed (`close()`, the end of a `with` block,
or when the WritableFile is garbage-collected, which closes it too)."""

import ctypes
import json
import os
import weakref

from ._compression import ZLIB, setting_text
from ._errors import KeyInFileError, UsageError
from ._library import _declare, call, encode, lib, take_string
from ._writable_histogram import histogram_description, is_histogram
from ._writable_tree import WritableTree, _as_mapping, _default_counter_name, _default_field_name, field_from_type, \
    field_from_values

_declare("kaon_writer_create", [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_writer_mkdir", [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_writer_close", [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_writer_free", [ctypes.c_void_p], None)
_declare("kaon_writer_histogram", [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)])


def _close_and_free(handle):
    """The finalizer: a file dropped unclosed is closed (as uproot leaves it written), then released."""
    message = ctypes.c_void_p()
    if lib.kaon_writer_close(handle, ctypes.byref(message)) != 0 and message.value:
        take_string(message)
    lib.kaon_writer_free(handle)


def recreate(path, *, compression=ZLIB(1)):
    """A new ROOT file at `path`, replacing any file there when it is closed. `compression`:
    kaon.ZLIB/LZMA/LZ4/ZSTD(level) (uproot's default ZLIB(1)), None, or ROOT's code (505)."""
    return WritableFile(path, compression)


def create(path, *, compression=ZLIB(1)):
    """As `recreate`, but refuses to replace an existing file (OSError), as uproot.create does."""
    if os.path.exists(os.fspath(path)):
        raise OSError(f"{os.fspath(path)} exists: kaon.create refuses to overwrite it (use kaon.recreate)")
    return WritableFile(path, compression)


class WritableFile:
    """A ROOT file being written; a context manager that closes it on exit."""

    def __init__(self, path, compression):
        self.file_path = os.fspath(path)
        self._compression = compression
        handle = ctypes.c_void_p()
        call(lib.kaon_writer_create, encode(self.file_path), encode(setting_text(compression)), ctypes.byref(handle))
        self._handle = handle
        self._closer = weakref.finalize(self, _close_and_free, ctypes.c_void_p(handle.value))
        self._objects = {}  # path → WritableTree or "histogram"/"directory", written in this session

    @property
    def compression(self):
        return self._compression

    def open_handle(self):
        if self.closed:
            raise UsageError(f"{self.file_path} is closed", "usage")
        return self._handle

    def close(self):
        """Finishes every tree and gives the file its final name; closing twice does nothing."""
        if self.closed:
            return
        self._closer.detach()
        try:
            call(lib.kaon_writer_close, self._handle)
        finally:
            lib.kaon_writer_free(self._handle)

    @property
    def closed(self):
        return not self._closer.alive

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()

    def __repr__(self):
        return f"<WritableFile {self.file_path!r}{' (closed)' if self.closed else ''}>"

    @property
    def root_directory(self):
        return WritableDirectory(self, "")

    def __setitem__(self, path, value):
        self.root_directory[path] = value

    def __getitem__(self, path):
        return self.root_directory[path]

    def __contains__(self, path):
        return path in self.root_directory

    def keys(self):
        return self.root_directory.keys()

    def mkdir(self, path):
        return self.root_directory.mkdir(path)

    def mktree(self, name, branch_types, title="", *, counter_name=_default_counter_name, field_name=_default_field_name):
        return self.root_directory.mktree(name, branch_types, title, counter_name=counter_name, field_name=field_name)


class WritableDirectory:
    """A directory of a file being written (`f.mkdir("dir")`, or made by a "dir/name" path)."""

    def __init__(self, file, path):
        self.file = file
        self.path = path

    def __repr__(self):
        return f"<WritableDirectory {self.path or '/'!r} in {self.file.file_path!r}>"

    def _full(self, path):
        path = path.strip("/")
        if not path or ";" in path:
            raise UsageError(f"{self.file.file_path}: {path!r} is not an object path (names joined by '/', no cycle)", "usage")
        return f"{self.path}/{path}" if self.path else path

    def keys(self):
        """Paths (relative to this directory) of what was written into it in this session."""
        prefix = self.path + "/" if self.path else ""
        return [path[len(prefix):] for path in self.file._objects if path.startswith(prefix)]

    def __contains__(self, path):
        return self._full(path) in self.file._objects

    def __getitem__(self, path):
        full = self._full(path)
        found = self.file._objects.get(full)
        if isinstance(found, WritableTree):
            return found
        if found == "directory":
            return WritableDirectory(self.file, full)
        if found is None:
            raise KeyInFileError(f"{self.file.file_path}: nothing named {full!r} was written in this session", "notFound")
        raise UsageError(f"{self.file.file_path}: {full!r} is a histogram; written histograms cannot be read back "
                         "before the file is closed (open it with kaon.open then)", "usage")

    def _record_parents(self, full):
        parts = full.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            self.file._objects.setdefault("/".join(parts[:depth]), "directory")

    def mkdir(self, path):
        full = self._full(path)
        call(lib.kaon_writer_mkdir, self.file.open_handle(), encode(full))
        self._record_parents(full + "/x")
        return WritableDirectory(self.file, full)

    def mktree(self, name, branch_types, title="", *, counter_name=_default_counter_name, field_name=_default_field_name):
        """A new, empty tree with fields {name: type} (see kaon._writable_tree.field_from_type);
        fill it with `extend`."""
        full = self._full(name)
        fields = [field_from_type(field, declared) for field, declared in branch_types.items()]
        tree = WritableTree(self.file, full, fields, title, counter_name, field_name)
        self._record_parents(full)
        self.file._objects[full] = tree
        return tree

    def __setitem__(self, path, value):
        """Writes a histogram (hist.Hist, (counts, edges…)) or a tree ({field: array}, or an
        awkward record array) at `path`; "a/b/name" creates the directories."""
        full = self._full(path)
        if is_histogram(value):
            call(lib.kaon_writer_histogram, self.file.open_handle(), encode(full), encode(json.dumps(histogram_description(value))))
            self._record_parents(full)
            self.file._objects[full] = "histogram"
            return
        try:
            data = _as_mapping(value)
        except TypeError:
            raise TypeError(f"{self.file.file_path}: {full}: a {type(value).__name__} cannot be written; "
                            "give a histogram (hist.Hist, (counts, edges)) or a tree ({name: array})") from None
        tree = WritableTree(self.file, full, [field_from_values(name, values) for name, values in data.items()])
        self._record_parents(full)
        self.file._objects[full] = tree
        tree.extend(data)
