"""What `file["h"] = …` accepts as a histogram, turned into the description Kaon's writer
takes (`kaon_writer_histogram`): the rules follow uproot's `to_writable`.

- A plottable histogram (`hist.Hist`, boost-histogram) of kind COUNT becomes a TH1D/TH2D/TH3D
  with the flow bins; Σw² (fSumw2) is stored for Weight storage only. Category axes become
  labelled axes (whose flow bins are then all empty, as uproot writes them).
- Kind MEAN (Mean or WeightedMean storage) becomes a TProfile (TProfile2D/3D too, which
  uproot does not write).
- A tuple `(counts, edges)`, `(counts, xedges, yedges)` (NumPy's histogram and histogram2d
  results), `(counts, xedges, yedges, zedges)` or `(counts, [edges…])`, optionally followed by
  a title, becomes a TH?D without Σw².
The title is the histogram's `title` or else its `name`, as uproot takes it.
"""

import numpy

_TUPLE_HINT = "a histogram (hist.Hist, or (counts, edges…) as numpy.histogram returns)"


def is_histogram(value):
    """Whether `value` is something `histogram_description` takes."""
    return _is_plottable(value) or _tuple_parts(value) is not None


def _is_plottable(value):
    return all(hasattr(value, name) for name in ("axes", "kind", "values", "variances", "counts"))


def _tuple_parts(value):
    """(counts, [edges…], title) of a NumPy-style histogram tuple, or None."""
    if not isinstance(value, (tuple, list)) or not 2 <= len(value) <= 5:
        return None
    items = list(value)
    title = items.pop() if isinstance(items[-1], str) else ""
    if len(items) == 2 and isinstance(items[1], (tuple, list)):
        items = [items[0], *items[1]]
    if len(items) < 2 or not all(isinstance(item, numpy.ndarray) for item in items):
        return None
    counts, edges = items[0], items[1:]
    if counts.ndim != len(edges) or any(edge.ndim != 1 for edge in edges):
        return None
    return counts, edges, title


def _flat(cells):
    """ROOT's global-bin order: x fastest (Fortran order over (x, y, z))."""
    return numpy.asarray(cells, dtype=numpy.float64).reshape(-1, order="F").tolist()


def _with_flow(values):
    """Zero flow bins around every axis."""
    return numpy.pad(numpy.asarray(values, dtype=numpy.float64), 1)


def histogram_description(value):
    """The `kaon_writer_histogram` description of `value`, or TypeError naming what it accepts."""
    if _is_plottable(value):
        return _plottable_description(value)
    parts = _tuple_parts(value)
    if parts is None:
        raise TypeError(f"{type(value).__name__} cannot be written as {_TUPLE_HINT}")
    counts, edges, title = parts
    if counts.shape != tuple(len(edge) - 1 for edge in edges):
        raise ValueError(f"histogram counts of shape {counts.shape} do not match edges of lengths {[len(e) for e in edges]}")
    cells = _with_flow(counts)
    return {"title": title, "storage": "D", "axes": [{"edges": edge.astype(numpy.float64).tolist(), "title": "", "labels": None}
                                                    for edge in edges],
            "contents": _flat(cells), "sumw2": [], "entries": float(counts.sum()), "profile": None}


def _axis_labels(axis):
    """The labels of a category axis (as text, uproot's rule), or None for a binned axis."""
    if any(cls.__name__ in ("StrCategory", "IntCategory") for cls in type(axis).__mro__):
        return [str(label) for label in axis]
    return None


def _plottable_description(histogram):
    kind = str(histogram.kind).rsplit(".", 1)[-1].upper()
    if kind not in ("COUNT", "MEAN"):
        raise ValueError(f"a histogram of kind {histogram.kind} cannot be written to ROOT (COUNT or MEAN only)")
    if not 1 <= len(histogram.axes) <= 3:
        raise ValueError(f"ROOT histograms have 1 to 3 axes; this one has {len(histogram.axes)}")
    title = getattr(histogram, "title", getattr(histogram, "name", "")) or ""
    labels = [_axis_labels(axis) for axis in histogram.axes]
    axes = [{"edges": numpy.asarray(axis.edges, dtype=numpy.float64).tolist(), "title": getattr(axis, "label", "") or "",
             "labels": axis_labels} for axis, axis_labels in zip(histogram.axes, labels)]
    if kind == "MEAN":
        return _profile_description(histogram, title, axes, any(label is not None for label in labels))
    weighted = _storage_name(histogram) == "Weight"
    if any(label is not None for label in labels):
        # Category axes have no underflow bin: like uproot, write the in-range bins only.
        values = _with_flow(histogram.values())
        sumw2 = _with_flow(histogram.variances()) if weighted else None
    else:
        values = numpy.asarray(histogram.values(flow=True), dtype=numpy.float64)
        sumw2 = numpy.asarray(histogram.variances(flow=True), dtype=numpy.float64) if weighted else None
    return {"title": title, "storage": "D", "axes": axes, "contents": _flat(values),
            "sumw2": _flat(sumw2) if sumw2 is not None else [], "entries": float(values.sum()), "profile": None}


def _storage_name(histogram):
    storage = getattr(histogram, "storage_type", None)
    return getattr(storage, "__name__", type(storage).__name__ if storage is not None else "")


def _profile_description(histogram, title, axes, has_categories):
    """A Mean/WeightedMean histogram as ROOT's profile members: per bin Σw (fBinEntries), Σw²
    (fBinSumw2), Σw·v (the contents) and Σw·v² (fSumw2 = Σ squared deviations + Σw·mean²)."""
    if has_categories:
        raise ValueError("a Mean-storage histogram with category axes cannot be written as a ROOT profile")
    view = histogram.view(flow=True)
    weighted = _storage_name(histogram) == "WeightedMean"
    sumw = numpy.asarray(view["sum_of_weights"] if weighted else view["count"], dtype=numpy.float64)
    sumw2 = numpy.asarray(view["sum_of_weights_squared"], dtype=numpy.float64) if weighted else sumw
    means = numpy.asarray(view["value"], dtype=numpy.float64)
    deviations = numpy.asarray(view["_sum_of_weighted_deltas_squared"] if weighted else view["_sum_of_deltas_squared"],
                               dtype=numpy.float64)
    contents = sumw * means
    squares = deviations + sumw * means ** 2
    # fEntries and the Σw·v, Σw·v² totals are over the in-range bins, as uproot takes them
    # from hist's sum() (which leaves the flow bins out).
    inner = tuple(slice(1, -1) for _ in range(contents.ndim))
    return {"title": title, "storage": "D", "axes": axes, "contents": _flat(contents), "sumw2": _flat(squares),
            "entries": float(sumw[inner].sum()),
            "profile": {"bin_entries": _flat(sumw), "bin_sumw2": _flat(sumw2) if weighted else [],
                        "sumwy": float(contents[inner].sum()), "sumwy2": float(squares[inner].sum())}}
