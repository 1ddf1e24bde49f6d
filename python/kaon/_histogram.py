"""ROOT histograms (TH1/TH2/TH3 and profiles) with uproot's interface: values, variances,
errors, axes, to_numpy, to_hist."""

import numpy

# Bin content types by the class name's last letter (TH1F → float32), as uproot gives them.
_CONTENT_DTYPES = {"C": numpy.int8, "S": numpy.int16, "I": numpy.int32, "L": numpy.int64, "F": numpy.float32,
                   "D": numpy.float64}


class Axis:
    """One axis: `edges()` (regular bins only), `labels()` (or None), `name`, `title`."""

    def __init__(self, info):
        self.name = info["name"]
        self.title = info["title"]
        self._edges = numpy.array(info["edges"], dtype=numpy.float64)
        self._labels = info["labels"]

    def __len__(self):
        return len(self._edges) - 1

    def edges(self, flow=False):
        if flow:
            return numpy.concatenate([[-numpy.inf], self._edges, [numpy.inf]])
        return self._edges.copy()

    def labels(self):
        return None if self._labels is None else list(self._labels)

    @property
    def is_regular(self):
        """Whether the edges are ROOT's uniform ones (low + i·width, the last being high)."""
        count = len(self)
        low, high = self._edges[0], self._edges[-1]
        uniform = low + numpy.arange(count) * ((high - low) / count)
        return bool(numpy.array_equal(uniform, self._edges[:-1]))


class Histogram:
    """A histogram read by Kaon (`file["h"]`); per-bin arrays are indexed [x, y, z] with the
    flow bins at 0 and -1 when `flow=True`."""

    def __init__(self, info):
        self.classname = info["classname"]
        self.name = info["name"]
        self.title = info["title"]
        self.entries = info["entries"]
        self.axes = [Axis(axis) for axis in info["axes"]]
        shape = tuple(len(axis) + 2 for axis in self.axes)
        # ROOT's global bin is x + (nx+2)·(y + (ny+2)·z): Fortran order over (x, y, z).
        def cells(values):
            return numpy.array(values, dtype=numpy.float64).reshape(shape, order="F")
        self._contents = cells(info["contents"])
        self._sumw2 = cells(info["sumw2"]) if info["sumw2"] else None
        self._profile = None
        if "profile_values" in info:
            self._profile = (cells(info["profile_values"]), cells(info["profile_errors"]))
            self._profile_entries = cells(info["profile_entries"])
            self._profile_entries_sumw2 = cells(info["profile_entries_sumw2"]) if info["profile_entries_sumw2"] else None

    def __repr__(self):
        return f"<{self.classname} {self.name!r} {'x'.join(str(len(a)) for a in self.axes)} bins>"

    @property
    def kind(self):
        return "MEAN" if self._profile is not None else "COUNT"

    @property
    def weighted(self):
        """Whether the histogram stores Σw² per bin (fSumw2)."""
        return self._sumw2 is not None

    def axis(self, index=0):
        if isinstance(index, str):
            index = {"x": 0, "y": 1, "z": 2}[index]
        return self.axes[index]

    @staticmethod
    def _cut(array, flow):
        return array if flow else array[tuple(slice(1, -1) for _ in range(array.ndim))]

    def values(self, flow=False):
        """Bin contents (profiles: the mean per bin), in the stored type for TH classes."""
        if self._profile is not None:
            return self._cut(self._profile[0], flow).copy()
        dtype = _CONTENT_DTYPES.get(self.classname[-1], numpy.float64)
        return self._cut(self._contents, flow).astype(dtype)

    def variances(self, flow=False):
        """Σw² per bin, or the contents when Σw² is not stored (profiles: the squared errors)."""
        if self._profile is not None:
            return self._cut(self._profile[1] ** 2, flow)
        return self._cut(self._sumw2 if self._sumw2 is not None else self._contents, flow).copy()

    def errors(self, flow=False):
        return numpy.sqrt(self.variances(flow))

    def to_numpy(self, flow=False, dd=False):
        """(values, x edges[, y edges[, z edges]]), or (values, [edges…]) with dd=True."""
        edges = [axis.edges(flow) for axis in self.axes]
        values = self.values(flow)
        return (values, edges) if dd else (values, *edges)

    def to_hist(self):
        """A `hist.Hist` with the flow bins filled; Weight storage when Σw² is stored (else
        Int64 for integer classes, Double otherwise; Mean or WeightedMean for profiles);
        labelled axes become StrCategory (or IntCategory when every label is an integer), as
        uproot's to_hist does."""
        import hist

        if self._profile is not None:
            return self._profile_hist()

        axes = [self._hist_axis(axis) for axis in self.axes]
        values = self._contents
        sumw2 = self._sumw2
        if sumw2 is not None:
            storage = hist.storage.Weight()
        elif numpy.issubdtype(_CONTENT_DTYPES.get(self.classname[-1], numpy.float64), numpy.integer):
            storage = hist.storage.Int64()
        else:
            storage = hist.storage.Double()
        out = hist.Hist(*axes, storage=storage, name=self.name, label=self.title)
        # Category axes have no underflow: drop ROOT's underflow bin on those axes.
        for index, axis in enumerate(self.axes):
            if axis.labels() is not None:
                keep = (slice(None),) * index + (slice(1, None),)
                values = values[keep]
                sumw2 = sumw2[keep] if sumw2 is not None else None
        view = out.view(flow=True)
        if sumw2 is not None:
            view.value = values
            view.variance = sumw2
        else:
            view[...] = values
        return out

    def _profile_hist(self):
        """A profile as a `hist.Hist` of Mean storage (WeightedMean when Σw² per bin is stored):
        per bin Σw (ROOT's fBinEntries), Σw² (fBinSumw2), the mean Σw·v/Σw and the sum of
        squared deviations Σw·v² − Σw·mean² (clipped at 0, as rounding can make it negative),
        which is what boost-histogram's mean accumulators hold."""
        import hist

        entries = self._profile_entries
        means = numpy.zeros_like(entries)
        filled = entries != 0
        means[filled] = self._contents[filled] / entries[filled]
        if self._sumw2 is not None:
            deviations = numpy.maximum(self._sumw2 - entries * means ** 2, 0.0)
        else:
            deviations = numpy.zeros_like(entries)
        weighted = self._profile_entries_sumw2 is not None
        axes = [self._hist_axis(axis) for axis in self.axes]
        out = hist.Hist(*axes, storage=hist.storage.WeightedMean() if weighted else hist.storage.Mean(),
                        name=self.name, label=self.title)
        for index, axis in enumerate(self.axes):
            if axis.labels() is not None:  # category axes have no underflow bin
                keep = (slice(None),) * index + (slice(1, None),)
                entries, means, deviations = entries[keep], means[keep], deviations[keep]
        view = out.view(flow=True)
        if weighted:
            view["sum_of_weights"] = entries
            view["sum_of_weights_squared"] = self._profile_entries_sumw2
            view["value"] = means
            view["_sum_of_weighted_deltas_squared"] = deviations
        else:
            view["count"] = entries
            view["value"] = means
            view["_sum_of_deltas_squared"] = deviations
        return out

    @staticmethod
    def _hist_axis(axis):
        import hist

        labels = axis.labels()
        if labels is not None:
            try:
                return hist.axis.IntCategory([int(label) for label in labels], name=axis.name, label=axis.title)
            except ValueError:
                return hist.axis.StrCategory(labels, name=axis.name, label=axis.title)
        edges = axis.edges()
        if axis.is_regular:
            return hist.axis.Regular(len(axis), edges[0], edges[-1], name=axis.name, label=axis.title)
        return hist.axis.Variable(edges, name=axis.name, label=axis.title)
