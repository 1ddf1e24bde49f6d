"""TTrees and RNTuples with uproot's reading interface: keys, typenames, num_entries, arrays,
iterate. An RNTuple's top-level fields are its keys, as uproot's RNTuple gives them."""

import ctypes
import weakref

from ._arrays import _Column, to_awkward_layout, to_numpy
from ._cut import apply_cut, cut_mask
from ._errors import UnsupportedError, UsageError
from ._library import call, call_json, encode, lib


class Tree:
    """A TTree or an RNTuple in an open file (`file["Events"]`; `classname` says which). Reads
    go through Kaon's Swift library; the file stays open while the tree is alive."""

    def __init__(self, file, path):
        self._file = file
        self.object_path = path
        handle = ctypes.c_void_p()
        call(lib.kaon_tree_open, file.open_handle(), encode(path), ctypes.byref(handle))
        self._handle = handle
        # The Swift tree keeps its file open, so a tree outlives `file.close()`.
        self._release = weakref.finalize(self, lib.kaon_tree_free, ctypes.c_void_p(handle.value))
        info = call_json(lib.kaon_tree_json, handle)
        self.name = info["name"]
        self.title = info["title"]
        self.num_entries = info["entries"]
        self.classname = info["classname"]
        self._branches = info["branches"]
        self._by_path = {branch["path"]: branch for branch in self._branches}

    @property
    def file(self):
        return self._file

    def __repr__(self):
        columns = "branches" if self.classname == "TTree" else "fields"
        return f"<{self.classname} {self.name!r} ({self.num_entries} entries, {len(self._branches)} {columns}) in {self._file.file_path!r}>"

    def __len__(self):
        return self.num_entries

    def keys(self):
        """Every branch's path (sub-branches joined by "/"), depth first, as uproot's keys()."""
        return [branch["path"] for branch in self._branches]

    def typenames(self):
        """Branch path → C++-like type name ("float", "float[]", "std::vector<int32_t>"); the
        names are Kaon's and may be spelled differently from uproot's. Branches Kaon cannot
        interpret map to "unknown"."""
        return {branch["path"]: branch["typename"] or "unknown" for branch in self._branches}

    def __getitem__(self, name):
        return TreeBranch(self, self._branch(name)["path"])

    def __contains__(self, name):
        return any(name in (branch["path"], branch["name"]) for branch in self._branches)

    def _branch(self, name):
        if name in self._by_path:
            return self._by_path[name]
        matches = [branch for branch in self._branches if branch["name"] == name]
        if len(matches) == 1:
            return matches[0]
        from ._errors import KeyInFileError
        reason = "is ambiguous; use its path" if matches else "does not exist"
        raise KeyInFileError(f"{self._file.file_path}: {self.object_path}: branch {name!r} {reason}", "notFound")

    def _default_expressions(self):
        """All branches holding data (no sub-branches). A branch the C interface cannot hand over
        is an error naming it (never silently left out): pass `expressions` to leave it out."""
        leaves = [branch for branch in self._branches if branch["subbranches"] == 0]
        refused = [f"{branch['path']} ({branch['handover'] or branch['unreadable']})" for branch in leaves
                   if branch["handover"] or branch["unreadable"]]
        if refused:
            raise UnsupportedError(
                f"{self._file.file_path}: {self.object_path}: these branches cannot be read into arrays yet: "
                + "; ".join(refused) + ". Pass expressions=[...] naming the branches to read.", "unsupported")
        return [branch["path"] for branch in leaves]

    def _entry_range(self, entry_start, entry_stop):
        """uproot's rules: None is the start/end, negative counts from the end, then clipped."""
        def resolve(value, default):
            if value is None:
                return default
            value = int(value)
            if value < 0:
                value += self.num_entries
            return min(max(value, 0), self.num_entries)
        start = resolve(entry_start, 0)
        return start, max(start, resolve(entry_stop, self.num_entries))

    def _read_columns(self, names, start, stop, threads):
        paths = [self._branch(name)["path"] for name in names]
        array_type = ctypes.c_char_p * len(paths)
        handles = (ctypes.c_void_p * len(paths))()
        call(lib.kaon_tree_read, self._handle, array_type(*map(encode, paths)), len(paths), start, stop,
             threads, handles)
        columns = []
        try:
            for handle in handles:
                columns.append(_Column(handle))
        except BaseException:
            # The column that failed frees itself when collected; the ones not wrapped yet would leak.
            for handle in list(handles)[len(columns) + 1:]:
                lib.kaon_array_free(handle)
            raise
        return columns

    def arrays(self, expressions=None, cut=None, *, entry_start=None, entry_stop=None, library="ak",
               decompression_threads=None, how=None):
        """Reads branches into arrays, as uproot's `TTree.arrays`.

        expressions: a branch name or a list of them (paths or unique names); None reads every
            branch holding data. Only branch names are understood, not formulas.
        cut: uproot's cut, a Python expression over branches (`"(nMuon >= 2) & (MET_pt > 20)"`)
            that keeps the entries where it is true (or, jagged, the list items with
            library="ak"); evaluated by Kaon's expression engine (kaon._cut). The branches it
            reads need not be among `expressions`.
        entry_start, entry_stop: the entry range (uproot's conventions: None, negatives).
        library: "np" (a dict of NumPy arrays: regular for fixed-size entries, object arrays of
            per-entry arrays for jagged ones) or "ak" (an awkward record array).
        decompression_threads: 1 reads the branches one after another; more reads them in
            parallel on Dispatch's thread pool (Kaon's `Tree.read(_:entries:threads:)`), which
            uses up to one thread per core; defaults to the value given to `kaon.open`.
        how: for library="np", `dict` (the default) or `tuple`/`list`; for "ak", None only.
        """
        if isinstance(expressions, str):
            expressions = [expressions]
        names = list(expressions) if expressions is not None else self._default_expressions()
        start, stop = self._entry_range(entry_start, entry_stop)
        threads = decompression_threads if decompression_threads is not None else self._file.decompression_threads
        columns = self._read_columns(names, start, stop, threads) if names else []
        mask = cut_mask(self, cut, start, stop, threads) if cut is not None else None
        where = f"{self._file.file_path}: {self.object_path}"
        if library in ("np", "numpy"):
            arrays = {name: to_numpy(column) for name, column in zip(names, columns)}
            if mask is not None:
                arrays = apply_cut(arrays, mask, "np", where)
            if how in (None, dict):
                return arrays
            if how in (tuple, list):
                return how(arrays.values())
            raise UsageError(f"how={how!r} is not supported for library='np' (dict, tuple or list)", "usage")
        if library in ("ak", "awkward"):
            if how is not None:
                raise UsageError("how= is only supported for library='np'", "usage")
            import awkward
            record = awkward.contents.RecordArray([to_awkward_layout(column) for column in columns], names,
                                                  length=stop - start)
            array = awkward.Array(record)
            return apply_cut(array, mask, "ak", where) if mask is not None else array
        raise UsageError(f"library={library!r} is not supported; use 'np' or 'ak'", "usage")

    def iterate(self, expressions=None, cut=None, *, step_size=100_000, entry_start=None, entry_stop=None,
                library="ak", decompression_threads=None, how=None):
        """Yields `arrays(...)` of successive entry ranges of `step_size` entries (an int;
        uproot's memory-size strings such as "100 MB" are not supported yet)."""
        if not isinstance(step_size, int) or isinstance(step_size, bool) or step_size <= 0:
            raise NotImplementedError("kaon: iterate(step_size=...) takes a positive number of entries; "
                                      f"{step_size!r} (e.g. a memory size) is not supported yet")
        start, stop = self._entry_range(entry_start, entry_stop)
        for chunk_start in range(start, stop, step_size):
            yield self.arrays(expressions, cut, entry_start=chunk_start, entry_stop=min(stop, chunk_start + step_size),
                              library=library, decompression_threads=decompression_threads, how=how)


class TreeBranch:
    """One branch of a tree (`tree["Muon_pt"]`): its type and `array()`."""

    def __init__(self, tree, path):
        self.tree = tree
        self.path = path
        self.typename = tree.typenames()[path]

    def __repr__(self):
        return f"<TBranch {self.path!r} ({self.typename})>"

    def array(self, *, entry_start=None, entry_stop=None, library="ak", decompression_threads=None):
        arrays = self.tree.arrays([self.path], entry_start=entry_start, entry_stop=entry_stop, library=library,
                                  decompression_threads=decompression_threads)
        return arrays[self.path]
