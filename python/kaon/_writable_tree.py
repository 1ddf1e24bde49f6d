"""TTrees written from Python, with uproot's interface: `file.mktree(name, {field: type})`
then `tree.extend({field: values})`, or `file[name] = {field: values}` in one step.

A field is what the user names; it becomes one or more branches, as uproot makes them:
- a NumPy array (or a regular awkward array) → one branch of one number per entry, or of a
  fixed-size array per entry (`x[3]/F`) for extra dimensions;
- an awkward jagged array (`var * float32`) → a counted branch `x[nx]` and its counter
  `nx` (int32), named by `counter_name`;
- an awkward array of records (`ak.zip({"pt": …, "eta": …})`) → one branch per field, named
  by `field_name` (`Muon_pt`, `Muon_eta`); jagged records share one counter (`nMuon`), as in
  NanoAOD.
Values go to Kaon's writer as the arrays' own buffers (contiguous, native byte order; other
layouts are converted first), which it copies once into its baskets.
"""

import ctypes
import json
import weakref

import numpy

from ._library import _declare, call, encode, lib

_declare("kaon_tree_writer_create", [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                     ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_tree_writer_append", [ctypes.c_void_p, ctypes.c_ssize_t, ctypes.POINTER(ctypes.c_char_p),
                                     ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_ssize_t),
                                     ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_ssize_t),
                                     ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_tree_writer_free", [ctypes.c_void_p], None)

_NUMERIC_KINDS = "biuf"


def _default_counter_name(counted):
    return "n" + counted


def _default_field_name(outer, inner):
    return outer + "_" + inner


def _primitive(dtype, where):
    """The numeric dtype Kaon writes (its name is the C ABI's: int8 … float64, bool)."""
    dtype = numpy.dtype(dtype)
    if dtype.kind not in _NUMERIC_KINDS or dtype.itemsize > 8 or dtype.name == "float16":
        raise TypeError(f"{where}: values of dtype {dtype} cannot be written (booleans, integers and float32/float64 can)")
    return dtype.newbyteorder("=")


class _Field:
    """One user-level field: `kind` is "scalar", "array" (fixed `shape`), "jagged", "record" or
    "jagged_record" (`members`: inner name → _Field of kind scalar/array)."""

    def __init__(self, name, kind, dtype=None, shape=(), members=None):
        self.name, self.kind, self.dtype, self.shape, self.members = name, kind, dtype, tuple(shape), members

    def __eq__(self, other):
        return (self.kind, self.dtype, self.shape, self.members) == (other.kind, other.dtype, other.shape, other.members)


def field_from_type(name, declared):
    """The field of a `mktree` type: a NumPy dtype (or its name), `(dtype, shape)`, the text
    "var * float32" / "3 * float64", an awkward type, or a dict {inner: type} for records."""
    if isinstance(declared, dict):
        members = {inner: field_from_type(f"{name}.{inner}", member) for inner, member in declared.items()}
        if all(member.kind in ("scalar", "array") for member in members.values()):
            return _Field(name, "record", members=members)
        if all(member.kind == "jagged" for member in members.values()):
            return _Field(name, "jagged_record", members={inner: _Field(member.name, "scalar", member.dtype)
                                                          for inner, member in members.items()})
        raise TypeError(f"field {name!r}: record members must all be jagged or all be fixed-size")
    if isinstance(declared, tuple) and len(declared) == 2:
        dtype, shape = declared
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return _Field(name, "array" if shape else "scalar", _primitive(dtype, f"field {name!r}"), shape)
    if not isinstance(declared, (str, numpy.dtype, type)):
        declared = str(declared)  # an awkward type prints as "var * float32"
    if isinstance(declared, str) and "*" in declared:
        *dimensions, item = [part.strip() for part in declared.split("*")]
        if dimensions and dimensions[0] == "var":
            if len(dimensions) > 1:
                raise TypeError(f"field {name!r}: {declared!r}: only one jagged dimension can be written")
            return _Field(name, "jagged", _primitive(item, f"field {name!r}"))
        if not all(dimension.isdigit() for dimension in dimensions):
            raise TypeError(f"field {name!r}: {declared!r} is not 'var * TYPE' or 'N * TYPE'")
        return _Field(name, "array", _primitive(item, f"field {name!r}"), tuple(int(d) for d in dimensions))
    dtype = numpy.dtype(declared)
    if dtype.subdtype is not None:
        return _Field(name, "array", _primitive(dtype.subdtype[0], f"field {name!r}"), dtype.subdtype[1])
    return _Field(name, "scalar", _primitive(dtype, f"field {name!r}"))


def _awkward_layout(value):
    """The packed layout of an awkward array, or None for anything else."""
    if type(value).__module__.split(".")[0] != "awkward":
        return None
    import awkward

    return awkward.to_packed(value).layout


def field_from_values(name, value):
    """The field `value` (a NumPy or awkward array) is written as."""
    layout = _awkward_layout(value)
    if layout is None:
        array = numpy.asarray(value)
        if array.dtype == object:
            raise TypeError(f"field {name!r}: a NumPy object array cannot be written; give jagged data as an awkward array")
        return _Field(name, "array" if array.ndim > 1 else "scalar", _primitive(array.dtype, f"field {name!r}"), array.shape[1:])
    return _field_from_layout(name, layout)


def _field_from_layout(name, layout):
    import awkward

    form = layout.form
    if layout.parameter("__array__") in ("string", "bytestring"):
        raise TypeError(f"field {name!r}: strings cannot be written from Python yet")
    if isinstance(layout, (awkward.contents.NumpyArray, awkward.contents.RegularArray)):
        array = awkward.to_numpy(layout)
        return _Field(name, "array" if array.ndim > 1 else "scalar", _primitive(array.dtype, f"field {name!r}"), array.shape[1:])
    if isinstance(layout, awkward.contents.RecordArray):
        members = {inner: _field_from_layout(f"{name}.{inner}", layout.content(inner)) for inner in layout.fields}
        if any(member.kind not in ("scalar", "array") for member in members.values()):
            raise TypeError(f"field {name!r}: records of jagged values cannot be written; zip them under one list instead")
        return _Field(name, "record", members=members)
    if isinstance(layout, (awkward.contents.ListOffsetArray, awkward.contents.ListArray)):
        content = layout.content
        if isinstance(content, awkward.contents.NumpyArray) and content.data.ndim == 1:
            return _Field(name, "jagged", _primitive(content.data.dtype, f"field {name!r}"))
        if isinstance(content, awkward.contents.RecordArray):
            members = {}
            for inner in content.fields:
                member = content.content(inner)
                if not isinstance(member, awkward.contents.NumpyArray) or member.data.ndim != 1:
                    raise TypeError(f"field {name!r}.{inner}: only numbers can be written inside jagged records ({member.form.type})")
                members[inner] = _Field(f"{name}.{inner}", "scalar", _primitive(member.data.dtype, f"field {name!r}.{inner}"))
            return _Field(name, "jagged_record", members=members)
    raise TypeError(f"field {name!r}: values of type {form.type} cannot be written "
                    "(numbers, fixed-size arrays, one level of jagged numbers, and records of those can)")


class _Branch:
    """One written branch: where its values come from (`field`, `member`) and its spec."""

    def __init__(self, name, kind, dtype=None, shape=(), counter=None, field=None, member=None, counts_of=None):
        self.name, self.kind, self.dtype, self.shape, self.counter = name, kind, dtype, tuple(shape), counter
        self.field, self.member, self.counts_of = field, member, counts_of

    def spec(self):
        return {"name": self.name, "kind": self.kind, "dtype": self.dtype.name, "shape": list(self.shape),
                "counter": self.counter}


def branches_of(fields, counter_name, field_name):
    """The branches of the fields, counters before the branches they count."""
    branches = []
    for field in fields:
        if field.kind in ("scalar", "array"):
            branches.append(_Branch(field.name, field.kind, field.dtype, field.shape, field=field.name))
        elif field.kind == "record":
            for inner, member in field.members.items():
                branches.append(_Branch(field_name(field.name, inner), member.kind, member.dtype, member.shape,
                                        field=field.name, member=inner))
        else:
            counter = counter_name(field.name)
            branches.append(_Branch(counter, "scalar", numpy.dtype(numpy.int32), field=field.name, counts_of=True))
            if field.kind == "jagged":
                branches.append(_Branch(field.name, "counted", field.dtype, counter=counter, field=field.name))
            else:
                for inner, member in field.members.items():
                    branches.append(_Branch(field_name(field.name, inner), "counted", member.dtype, counter=counter,
                                            field=field.name, member=inner))
    names = [branch.name for branch in branches]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"these branch names would be made twice: {', '.join(duplicates)} (a counter or record field "
                         "collides with another field; rename it or pass counter_name=/field_name=)")
    return branches


def _numpy_values(value):
    """A fixed-size field's values as a NumPy array (awkward arrays converted, without a copy
    when their buffer allows)."""
    layout = _awkward_layout(value)
    if layout is None:
        return numpy.asarray(value)
    import awkward

    return awkward.to_numpy(layout)


def _contiguous(array, dtype):
    return numpy.ascontiguousarray(array, dtype=dtype)


def _jagged_parts(value, member, where):
    """(int64 offsets from 0, content) of one level of jagged values (content None for records
    when no `member` is asked for)."""
    import awkward

    layout = awkward.to_packed(awkward.Array(value) if not isinstance(value, awkward.Array) else value).layout
    if not isinstance(layout, (awkward.contents.ListOffsetArray, awkward.contents.ListArray)):
        raise TypeError(f"{where}: expected jagged values (var * …), got {layout.form.type}")
    if isinstance(layout, awkward.contents.ListArray):
        layout = layout.to_ListOffsetArray64(True)
    offsets = numpy.asarray(layout.offsets, dtype=numpy.int64)
    content = layout.content
    if member is not None:
        content = content.content(member)
    if not isinstance(content, awkward.contents.NumpyArray):
        return offsets - offsets[0], None  # a record's counter needs only the offsets
    return offsets - offsets[0], numpy.asarray(content.data)[offsets[0]:offsets[-1]]


class WritableTree:
    """A TTree being written (`file.mktree` or `file[name] = {…}`); `extend` appends entries."""

    def __init__(self, file, path, fields, title="", counter_name=_default_counter_name, field_name=_default_field_name):
        self._file = file
        self.object_path = path
        self.name = path.rsplit("/", 1)[-1]
        self.title = title
        self._fields = {field.name: field for field in fields}
        self._branches = branches_of(fields, counter_name, field_name)
        handle = ctypes.c_void_p()
        call(lib.kaon_tree_writer_create, file.open_handle(), encode(path), encode(title),
             encode(json.dumps([branch.spec() for branch in self._branches])), ctypes.byref(handle))
        self._handle = handle
        self._release = weakref.finalize(self, lib.kaon_tree_writer_free, ctypes.c_void_p(handle.value))
        self.num_entries = 0

    def __repr__(self):
        return f"<WritableTree {self.object_path!r} ({self.num_entries} entries) in {self._file.file_path!r}>"

    @property
    def file(self):
        return self._file

    def keys(self):
        """The branch names, counters included, in the order they are written."""
        return [branch.name for branch in self._branches]

    @property
    def branch_types(self):
        """Field → (kind, dtype, shape) as declared."""
        return {name: (field.kind, field.dtype, field.shape) for name, field in self._fields.items()}

    def extend(self, data):
        """Appends entries: `data` maps every field to its values (NumPy or awkward arrays of
        the declared types, all of the same length), or is an awkward record array."""
        data = _as_mapping(data)
        missing = [name for name in self._fields if name not in data]
        extra = [name for name in data if name not in self._fields]
        if missing or extra:
            raise ValueError(f"{self._file.file_path}: {self.object_path}: extend needs exactly the fields "
                             f"{list(self._fields)}" + (f"; missing {missing}" if missing else "")
                             + (f"; not in the tree {extra}" if extra else ""))
        for name, value in data.items():
            found = field_from_values(name, value)
            declared = self._fields[name]
            if found.kind != declared.kind or found.shape != declared.shape or \
                    (found.kind == "jagged_record") != (declared.kind == "jagged_record") or \
                    (found.members is not None and set(found.members) != set(declared.members)):
                raise TypeError(f"{self._file.file_path}: {self.object_path}: field {name!r} was declared "
                                f"{_describe(declared)} but these values are {_describe(found)}")
        columns = []  # (name, values, offsets or None), kept alive during the call
        lengths = set()
        for branch in self._branches:
            value = data[branch.field]
            where = f"{self._file.file_path}: {self.object_path}: branch {branch.name!r}"
            declared = self._fields[branch.field]
            if declared.kind in ("jagged", "jagged_record"):
                offsets, content = _jagged_parts(value, branch.member, where)
                lengths.add(len(offsets) - 1)
                if branch.counts_of:
                    columns.append((branch.name, _contiguous(numpy.diff(offsets), numpy.int32), None))
                else:
                    columns.append((branch.name, _contiguous(content, branch.dtype), offsets))
                continue
            if branch.member is not None:
                value = value[branch.member]
            array = _numpy_values(value)
            lengths.add(len(array))
            columns.append((branch.name, _contiguous(array, branch.dtype), None))
        if len(lengths) > 1:
            raise ValueError(f"{self._file.file_path}: {self.object_path}: the fields have different numbers of entries "
                             f"({sorted(lengths)})")
        count = len(columns)
        names = (ctypes.c_char_p * count)(*(encode(name) for name, _, _ in columns))
        values = (ctypes.c_void_p * count)(*(array.ctypes.data for _, array, _ in columns))
        sizes = (ctypes.c_ssize_t * count)(*(array.nbytes for _, array, _ in columns))
        offsets = (ctypes.c_void_p * count)(*(None if o is None else o.ctypes.data for _, _, o in columns))
        offset_counts = (ctypes.c_ssize_t * count)(*(0 if o is None else len(o) for _, _, o in columns))
        call(lib.kaon_tree_writer_append, self._handle, count, names, values, sizes, offsets, offset_counts)
        self.num_entries += lengths.pop() if lengths else 0


def _describe(field):
    if field.kind in ("record", "jagged_record"):
        return f"{field.kind} of {{{', '.join(field.members)}}}"
    return f"{field.kind} {field.dtype}" + (f" {field.shape}" if field.shape else "")


def _as_mapping(data):
    """A dict of fields from a dict, or from an awkward record array's top-level fields."""
    if isinstance(data, dict):
        return data
    layout = _awkward_layout(data)
    if layout is not None and getattr(layout, "fields", None) and not layout.is_tuple:
        return {name: data[name] for name in layout.fields}
    raise TypeError(f"tree data must be a dict of arrays or an awkward array of records, not {type(data).__name__}")
