"""Kaon's column buffers as NumPy and awkward arrays, without copying.

A column read by `kaon_tree_read` is a Swift object holding one contiguous buffer of values
and, per jagged level, an int64 offsets buffer. NumPy arrays are made directly over those
buffers (through `__array_interface__`); every array over a column keeps one `_Column` alive,
and the column's Swift object is released (`kaon_array_free`) when the last of them is
collected. awkward arrays are built from the same NumPy arrays (`ListOffsetArray` over
`NumpyArray`), so they share the buffers too.
"""

import ctypes
import weakref

import numpy

from ._library import _declare, call_json, lib

_declare("kaon_array_field", [ctypes.c_void_p, ctypes.c_ssize_t], ctypes.c_void_p)


class _Column:
    """Owns one Swift array handle; its layout (`dtype`, `entries`, `count`, `inner_shape`,
    `offsets` lengths) comes from `kaon_array_json`."""

    def __init__(self, handle):
        self.handle = handle
        self._finalizer = weakref.finalize(self, lib.kaon_array_free, ctypes.c_void_p(handle))
        layout = call_json(lib.kaon_array_json, ctypes.c_void_p(handle))
        self.dtype = numpy.dtype(layout["dtype"])
        self.entries = layout["entries"]
        self.count = layout["count"]
        self.inner_shape = tuple(layout["inner_shape"])
        self.offset_lengths = layout["offsets"]
        # Strings: the innermost offsets level delimits UTF-8 strings in the uint8 values.
        self.strings = layout.get("strings", False)
        # A leaf list: its leaves by name, each its own column (read with kaon_array_field).
        self.field_names = layout.get("fields", [])

    def _wrap(self, address, dtype, shape):
        if 0 in shape or not address:
            return numpy.zeros(shape, dtype=dtype)
        return numpy.asarray(_BufferView(self, address, dtype, shape))

    def values(self):
        """The values, shaped (count // items, *inner_shape)."""
        items = int(numpy.prod(self.inner_shape)) if self.inner_shape else 1
        shape = (self.count // items,) + self.inner_shape
        return self._wrap(lib.kaon_array_values(ctypes.c_void_p(self.handle)), self.dtype, shape)

    def offsets(self, level):
        address = lib.kaon_array_offsets(ctypes.c_void_p(self.handle), level)
        return self._wrap(address, numpy.dtype(numpy.int64), (self.offset_lengths[level],))

    @property
    def levels(self):
        return len(self.offset_lengths)

    def fields(self):
        """The leaf columns of a leaf list, in order."""
        return [_Column(lib.kaon_array_field(ctypes.c_void_p(self.handle), index)) for index in range(len(self.field_names))]


class _BufferView:
    """Exposes a Swift buffer to NumPy; NumPy keeps this object (and so the column) alive as
    the array's base."""

    def __init__(self, column, address, dtype, shape):
        self._column = column
        self.__array_interface__ = {"version": 3, "data": (address, False), "typestr": dtype.str, "shape": shape}


def to_numpy(column):
    """uproot's library="np" form: a regular array for fixed-size entries, an object array of
    per-entry arrays for jagged ones (deeper levels: object arrays of object arrays), an
    object array of `str` for strings, a structured array (one field per leaf) for a leaf
    list. Strings and leaf lists are copied (NumPy has no view for either)."""
    if column.field_names:
        leaves = [to_numpy(leaf) for leaf in column.fields()]
        record = numpy.empty(column.entries, dtype=[(name, leaf.dtype, leaf.shape[1:])
                                                   for name, leaf in zip(column.field_names, leaves)])
        for name, leaf in zip(column.field_names, leaves):
            record[name] = leaf
        return record
    values = column.values()
    levels = column.levels
    items = values
    if column.strings:
        raw = values.tobytes()
        bounds = column.offsets(levels - 1).tolist()
        items = numpy.fromiter((raw[start:stop].decode("utf-8", errors="surrogateescape")
                                for start, stop in zip(bounds, bounds[1:])), dtype=object, count=len(bounds) - 1)
        levels -= 1
    if levels == 0:
        return items
    # Innermost level first: each level groups the items of the level below.
    for level in reversed(range(levels)):
        # Python ints slice faster than NumPy scalars, and fromiter fills the object array in
        # C: half the time of an indexed loop (one view per entry is the cost of this form).
        bounds = column.offsets(level).tolist()
        items = numpy.fromiter((items[start:stop] for start, stop in zip(bounds, bounds[1:])), dtype=object,
                               count=len(bounds) - 1)
    return items


def to_awkward_layout(column):
    """The column as an awkward layout: NumpyArray (with its fixed inner dimensions) inside
    one ListOffsetArray per jagged level, all over Kaon's buffers; strings as awkward's
    string lists of characters, a leaf list as a RecordArray of its leaves."""
    import awkward

    if column.field_names:
        return awkward.contents.RecordArray([to_awkward_layout(leaf) for leaf in column.fields()], column.field_names,
                                            length=column.entries)
    levels = column.levels
    if column.strings:
        characters = awkward.contents.NumpyArray(column.values(), parameters={"__array__": "char"})
        layout = awkward.contents.ListOffsetArray(awkward.index.Index64(column.offsets(levels - 1)), characters,
                                                  parameters={"__array__": "string"})
        levels -= 1
    else:
        layout = awkward.contents.NumpyArray(column.values())
    for level in reversed(range(levels)):
        layout = awkward.contents.ListOffsetArray(awkward.index.Index64(column.offsets(level)), layout)
    return layout
