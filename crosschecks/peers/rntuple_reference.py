#!/usr/bin/env python3
"""uproot's reading of every field of an RNTuple, as canonical leaves (JSON on stdout).

Usage: rntuple_reference.py [--entries START:STOP] FILE NTUPLE [FIELD ...]

Kaon's RNTuple tests (Tests/KaonRNTupleTests, crosschecks/peers/test_rntuple.py) compare
their reading with this one. Layouts differ between the two readers (uproot zips records
inside lists, Kaon stores them as a struct of arrays like a split TTree; uproot shows
std::optional as None, Kaon as a list of zero or one item), so both sides reduce a field to
the same canonical form: for every leaf, its path of names from the field, the item counts
of every level of nesting above it (lists, options as 0/1, variant alternatives as 0/1,
fixed-size arrays), and its values flattened (floats as repr strings). Large leaves (more than LIMIT values) are
summarised: count, sum, a position-weighted sum and the first and last 100 values.
"""
import json
import math
import sys

import awkward as ak
import numpy as np
import uproot

LIMIT = 1_000_000


def value(x):
    """A JSON value; floats as their repr strings ("0.1", "nan", "-inf"), which every JSON
    reader turns back into the same double (not all parse JSON numbers exactly)."""
    if isinstance(x, float):
        return repr(x)
    return x


def leaves(layout, path, levels, out):
    """Appends (path, levels, values) for every leaf below `layout`."""
    if layout.parameter("__array__") in ("string", "bytestring"):
        out[path] = (levels, [value(s) for s in ak.to_list(ak.Array(layout))])
        return
    if isinstance(layout, ak.contents.RecordArray):
        for index, name in enumerate(layout.fields):
            # std::pair/std::tuple members are RNTuple fields _0, _1, … (uproot: a tuple).
            member = f"_{index}" if layout.is_tuple else name
            leaves(layout.content(name), f"{path}.{member}" if path else member, levels, out)
        return
    if isinstance(layout, (ak.contents.ListOffsetArray, ak.contents.ListArray)):
        layout = layout.to_ListOffsetArray64(True)
        offsets = np.asarray(layout.offsets)
        counts = np.diff(offsets).tolist()
        content = layout.content[int(offsets[0]):int(offsets[-1])]
        leaves(content, path, levels + [counts], out)
        return
    if isinstance(layout, ak.contents.RegularArray):
        counts = [layout.size] * layout.length
        leaves(layout.content[: layout.length * layout.size], path, levels + [counts], out)
        return
    if isinstance(layout, ak.contents.UnmaskedArray):
        leaves(layout.content, path, levels, out)
        return
    if isinstance(layout, (ak.contents.IndexedOptionArray, ak.contents.ByteMaskedArray,
                           ak.contents.BitMaskedArray)):
        valid = ~np.asarray(ak.is_none(ak.Array(layout)))
        content = ak.Array(layout)[valid].layout
        content = content.project() if hasattr(content, "project") and content.is_option else content
        leaves(content, path, levels + [valid.astype(int).tolist()], out)
        return
    if isinstance(layout, ak.contents.IndexedArray):
        leaves(layout.project(), path, levels, out)
        return
    if isinstance(layout, ak.contents.UnionArray):
        # uproot's content k is the variant's tag k: content 0 stands for the valueless state,
        # contents 1… are the alternatives, RNTuple fields _0, _1, …
        tags = np.asarray(layout.tags)
        for k in range(1, len(layout.contents)):
            present = (tags == k).astype(int).tolist()
            name = f"_{k - 1}"
            leaves(layout.project(k), f"{path}.{name}" if path else name, levels + [present], out)
        return
    if isinstance(layout, ak.contents.NumpyArray):
        data = np.asarray(layout.data)
        if data.ndim > 1:
            inner = [[data.shape[d]] * int(np.prod(data.shape[:d])) for d in range(1, data.ndim)]
            out[path] = (levels + inner, data.reshape(-1))
        else:
            out[path] = (levels, data)
        return
    if isinstance(layout, ak.contents.EmptyArray):
        out[path] = (levels, np.zeros(0))
        return
    raise TypeError(f"unhandled layout {type(layout).__name__} at {path}")


def values_json(values):
    if isinstance(values, list):
        return {"dtype": "string", "values": values}
    array = np.asarray(values)
    dtype = str(array.dtype)
    if array.dtype == np.bool_:
        array = array.astype(np.int64)
    if len(array) <= LIMIT:
        return {"dtype": dtype, "values": [value(v) for v in array.tolist()]}
    weights = (np.arange(len(array)) % 1009 + 1)
    as_float = array.dtype.kind == "f"
    return {
        "dtype": dtype,
        "count": int(len(array)),
        "sum": value(float(array.astype(np.float64).sum())) if as_float else int(array.astype(np.int64).sum()),
        "weighted": value(float((array.astype(np.float64) * weights).sum())) if as_float else int((array.astype(np.int64) * weights).sum()),
        "head": [value(v) for v in array[:100].tolist()],
        "tail": [value(v) for v in array[-100:].tolist()],
    }


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    arguments = sys.argv[1:]
    start, stop = None, None
    if arguments[0] == "--entries":
        first, last = arguments[1].split(":")
        start, stop = int(first), int(last)
        arguments = arguments[2:]
    path, name, *fields = arguments
    ntuple = uproot.open(path)[name]
    names = fields or [f for f in ntuple.keys(recursive=False)]
    result = {}
    for field in names:
        array = ntuple[field].array(library="ak", entry_start=start, entry_stop=stop)
        out = {}
        leaves(array.layout, "", [], out)
        result[field] = {leaf or ".": {"levels": levels, **values_json(values)} for leaf, (levels, values) in out.items()}
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
