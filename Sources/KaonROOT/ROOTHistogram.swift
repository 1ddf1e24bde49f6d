import KaonIO

/// One axis of a histogram (a TAxis), reduced to what is needed to interpret the bins.
public struct ROOTHistogramAxis: Sendable, Equatable {
    /// ROOT's name for the axis: `xaxis`, `yaxis` or `zaxis`.
    public var name: String
    /// The axis title, as drawn under the axis.
    public var title: String
    /// The number of regular (finite-width) bins; the axis also has an underflow and an
    /// overflow bin.
    public var nbins: Int
    /// The lower edge of the first regular bin (`fXmin`).
    public var low: Double
    /// The upper edge of the last regular bin (`fXmax`).
    public var high: Double
    /// The `nbins + 1` bin edges, from `low` to `high`.
    ///
    /// Variable-width axes take them from `fXbins`. Uniform axes compute edge *i* as ROOT's
    /// `TAxis::GetBinLowEdge(i + 1)` does, `low + i · ((high − low) / nbins)`, except that the
    /// last edge is `high` itself: that is where ROOT's `FindBin` starts the overflow bin, and
    /// the product can miss it by an ulp.
    public var edges: [Double]
    /// The bin labels of an alphanumeric axis, indexed by bin − 1 (`""` for a bin without a
    /// label), or nil when the axis has none.
    public var labels: [String]?
}

/// The state of a profile histogram (TProfile, TProfile2D, TProfile3D) beyond its TH1 part.
///
/// A profile stores, per bin, Σw·v in the histogram contents, Σw·v² in `fSumw2`, Σw in
/// `fBinEntries` and (when weighted) Σw² in `fBinSumw2`, where *v* is the profiled value
/// (y for a TProfile, z for a TProfile2D, t for a TProfile3D).
public struct ROOTHistogramProfile: Sendable, Equatable {
    /// How ROOT turns the sums into bin errors (`TProfile::SetErrorOption`).
    public enum ErrorMode: Sendable, Equatable {
        /// `""`: the standard error on the mean (ROOT's default, `kERRORMEAN`).
        case mean
        /// `"s"`: the spread of the values (`kERRORSPREAD`).
        case spread
        /// `"i"`: the spread, or 1/√12 for integer values with no spread (`kERRORSPREADI`).
        case spreadInteger
        /// `"g"`: 1/√Σw, for weights that are 1/σ² (`kERRORSPREADG`).
        case spreadGaussian

        /// The mode for ROOT's stored `fErrorMode`. Unknown codes behave like `.mean`,
        /// because `TProfileHelper::GetBinError` falls through to that case.
        public init(code: Int) {
            switch code {
            case 1: self = .spread
            case 2: self = .spreadInteger
            case 3: self = .spreadGaussian
            default: self = .mean
            }
        }
    }

    /// Σw per bin (`fBinEntries`), in global-bin order.
    public var binEntries: [Double]
    /// Σw² per bin (`fBinSumw2`), or empty when the profile was not filled with weights.
    public var binSumw2: [Double]
    /// ROOT's stored `fErrorMode` code (0 mean, 1 spread, 2 integer spread, 3 Gaussian).
    public var errorModeCode: Int
    /// The lower and upper limits of the profiled value (`fYmin`/`fYmax` for a TProfile,
    /// `fZmin`/`fZmax` for a TProfile2D, `fTmin`/`fTmax` for a TProfile3D); equal limits mean
    /// no limit.
    public var valueMinimum: Double
    /// The upper limit of the profiled value; see `valueMinimum`.
    public var valueMaximum: Double
    /// Σw·v and Σw·v² over all fills (`fTsumwy`/`fTsumwy2` for a TProfile, `…z` for a
    /// TProfile2D, `…t` for a TProfile3D). They also appear in `ROOTHistogram.statistics`.
    public var valueSumw: Double
    /// Σw·v² over all fills; see `valueSumw`.
    public var valueSumw2: Double
    /// The mean value per bin, as ROOT's `GetBinContent` returns it: Σw·v / Σw, or 0 for an
    /// empty bin.
    public var values: [Double]
    /// The error per bin, as ROOT's `GetBinError` returns it for the stored error mode.
    public var errors: [Double]

    /// The stored error mode.
    public var errorMode: ErrorMode { ErrorMode(code: errorModeCode) }
}

/// A ROOT histogram (TH1, TH2, TH3 of any storage type, or a profile), with its bins
/// converted to `Double`.
///
/// All per-bin arrays are in ROOT's global-bin order, flow bins included: bin (x, y, z) is at
/// `x + (nx + 2) · (y + (ny + 2) · z)` with 0 the underflow and n + 1 the overflow bin of
/// each axis.
public struct ROOTHistogram: Sendable {
    /// The stored class (`TH1F`, `TH2D`, `TProfile`, …).
    public var className: String
    /// The object's name (`fName`), normally its key's name.
    public var name: String
    /// The histogram title (`fTitle`).
    public var title: String
    /// 1, 2 or 3.
    public var dimension: Int
    /// One axis per dimension (x, then y, then z).
    public var axes: [ROOTHistogramAxis]
    /// The bin contents (`GetBinContent` for histograms; Σw·v for profiles). TH1C/S/I/F
    /// store small integers or floats, which convert to `Double` exactly; TH1L's 64-bit
    /// counts are exact up to 2⁵³.
    public var contents: [Double]
    /// The sum of squared weights per bin (`fSumw2`), or empty when the histogram does not
    /// store it (its errors are then √content). For profiles it holds Σw·v².
    public var sumw2: [Double]
    /// The number of entries ROOT recorded (`fEntries`).
    public var entries: Double
    /// The fill statistics in stream order: `fTsumw`, `fTsumw2`, `fTsumwx`, `fTsumwx2`, then
    /// those of TH2/TH3 (`fTsumwy`, `fTsumwxy`, …) and of profiles.
    public var statistics: [(name: String, value: Double)]
    /// The number of fills still in ROOT's fill buffer (`fBuffer[0]`), not yet in the
    /// contents. ROOT empties the buffer when bins are first read, which Kaon does not do;
    /// it is 0 for histograms written without a buffer.
    public var bufferedEntries: Int
    /// The profile part, for TProfile, TProfile2D and TProfile3D; nil otherwise.
    public var profile: ROOTHistogramProfile?

    /// The number of cells, flow bins included.
    public var cellCount: Int { contents.count }

    /// A statistic by its ROOT member name (`"fTsumwx"`), or nil.
    public func statistic(_ name: String) -> Double? {
        statistics.first { $0.name == name }?.value
    }

    /// The global bin index of per-axis bin numbers (0 underflow … nbins + 1 overflow), or
    /// nil when out of range.
    public func globalBin(_ bins: Int...) -> Int? {
        guard bins.count == dimension else { return nil }
        var index = 0
        var stride = 1
        for (axis, bin) in zip(axes, bins) {
            guard bin >= 0, bin <= axis.nbins + 1 else { return nil }
            index += bin * stride
            stride *= axis.nbins + 2
        }
        return index
    }

    /// Interprets a deserialised TH1 descendant.
    ///
    /// Throws `KaonError(.unsupported)` for objects that are not histograms, and
    /// `KaonError(.malformed)` when the arrays disagree with the axes (a corrupt file).
    public init(_ object: ROOTObject) throws {
        guard object.isA("TH1") else {
            if let reason = object.string("unreadable") {
                throw KaonError(.unsupported, "cannot read \(object.className) as a histogram: \(reason)")
            }
            throw KaonError(.unsupported, "\(object.className) is not a histogram (not a TH1 descendant)")
        }
        let className = object.className
        self.className = className
        name = Self.namedString(object, "fName")
        title = Self.namedString(object, "fTitle")
        // TH3 and TH2 derive from TH1, so test the deepest first; profiles derive from
        // TH1D/TH2D/TH3D and follow the same rule.
        dimension = object.isA("TH3") ? 3 : object.isA("TH2") ? 2 : 1

        let axisObjects = try ["fXaxis", "fYaxis", "fZaxis"].prefix(dimension).map { member in
            guard let axis = object.object(member) else {
                throw KaonError(.malformed, "\(className) has no \(member)")
            }
            return (member, axis)
        }

        // Check the cell count against the contents before building per-bin arrays: the
        // reader bounded the contents by the bytes present, so a corrupt fNbins cannot make
        // us allocate more than the file could hold.
        var cells = 1
        for (member, axis) in axisObjects {
            guard let nbins = axis.int("fNbins"), nbins >= 1 else {
                throw KaonError(.malformed, "\(className)::\(member) has an impossible number of bins (\(axis["fNbins"].map { "\($0)" } ?? "none"))")
            }
            let (product, overflow) = cells.multipliedReportingOverflow(by: min(nbins, Int.max - 2) + 2)
            guard !overflow else {
                throw KaonError(.malformed, "\(className) has an impossible number of bins")
            }
            cells = product
        }
        if let stored = object.int("fNcells"), stored != cells {
            throw KaonError(.malformed, "\(className) declares \(stored) cells but its axes make \(cells)")
        }

        // The bin contents are the TArray base of the concrete class (TArrayD for TH1D,
        // TArrayF for TH1F, …), whose "fArray" the reader merges into the object.
        guard let array = object["fArray"], let values = Self.doubles(array) else {
            throw KaonError(.malformed, "\(className) has no bin contents array")
        }
        guard values.count == cells else {
            throw KaonError(.malformed, "\(className) has \(values.count) bin contents for \(cells) cells")
        }
        axes = try axisObjects.map { member, axis in
            try withContext(object: member) { try Self.axis(axis) }
        }
        contents = values
        sumw2 = try Self.cellArray(object, "fSumw2", cells: cells, className: className)
        entries = object.double("fEntries") ?? 0

        // Every fill sum is a double member named fTsumw…; collecting them by prefix covers
        // TH1, TH2, TH3 and the profiles' extra sums without a table per class.
        statistics = object.memberOrder.compactMap { member -> (name: String, value: Double)? in
            guard member.hasPrefix("fTsumw"), let value = object.double(member) else { return nil }
            return (name: member, value: value)
        }

        if let buffer = object["fBuffer"]?.realsValue, let first = buffer.first, first >= 1, first < Double(Int.max) {
            bufferedEntries = Int(first)
        } else {
            bufferedEntries = 0
        }

        if object.isA("TProfile") || object.isA("TProfile2D") || object.isA("TProfile3D") {
            profile = try Self.profile(object, dimension: dimension, contents: contents, sumw2: sumw2, className: className)
        } else {
            profile = nil
        }
    }

    // MARK: - Pieces

    /// fName/fTitle: merged into the object when its TNamed base is read as a base, or kept
    /// as a "TNamed" member when the file's streamer gives that base the kTNamed type.
    static func namedString(_ object: ROOTObject, _ member: String) -> String {
        object.string(member) ?? object.object("TNamed")?.string(member) ?? ""
    }

    static func axis(_ object: ROOTObject) throws -> ROOTHistogramAxis {
        let name = namedString(object, "fName")
        let title = namedString(object, "fTitle")
        // The caller has checked fNbins against the size of the contents array.
        guard let nbins = object.int("fNbins"), nbins >= 1 else {
            throw KaonError(.malformed, "axis has an impossible number of bins")
        }
        let low = object.double("fXmin") ?? 0
        let high = object.double("fXmax") ?? 0
        let variable = object.object("fXbins").flatMap { $0["fArray"] }.flatMap(doubles) ?? []

        let edges: [Double]
        if variable.isEmpty {
            let width = (high - low) / Double(nbins)
            var uniform = (0..<nbins).map { low + Double($0) * width }
            uniform.append(high)
            edges = uniform
        } else {
            guard variable.count == nbins + 1 else {
                throw KaonError(.malformed, "axis has \(nbins) bins but \(variable.count) edges")
            }
            edges = variable
        }

        var labels: [String]?
        let labelItems = object["fLabels"]?.listValue ?? []
        if !labelItems.isEmpty {
            // Each TObjString's fUniqueID is the bin it labels (TAxis::SetBinLabel); the list
            // order is insertion order. ROOT's GetBinLabel returns the first match.
            var byBin = [String?](repeating: nil, count: nbins)
            for item in labelItems {
                guard let label = item.objectValue, let bin = label.int("fUniqueID"),
                      bin >= 1, bin <= nbins, byBin[bin - 1] == nil else { continue }
                byBin[bin - 1] = label.string("fString") ?? label.string("fName") ?? ""
            }
            labels = byBin.map { $0 ?? "" }
        }
        return ROOTHistogramAxis(name: name, title: title, nbins: nbins, low: low, high: high, edges: edges, labels: labels)
    }

    /// A member TArray's values (empty when absent or empty), which must be either empty or
    /// one value per cell.
    static func cellArray(_ object: ROOTObject, _ member: String, cells: Int, className: String) throws -> [Double] {
        guard let value = object[member] else { return [] }
        let values: [Double]
        switch value {
        case .null: return []
        case .object(let array):
            guard let inner = array["fArray"] else { return [] }
            guard let converted = doubles(inner) else {
                throw KaonError(.malformed, "\(className)::\(member) is not a numeric array")
            }
            values = converted
        default:
            guard let converted = doubles(value) else {
                throw KaonError(.malformed, "\(className)::\(member) is not a numeric array")
            }
            values = converted
        }
        guard values.isEmpty || values.count == cells else {
            throw KaonError(.malformed, "\(className)::\(member) has \(values.count) values for \(cells) cells")
        }
        return values
    }

    /// A numeric array value as doubles; nil for anything else. Only arrays, not the lossy
    /// `realsValue` conversion of lists, so that a wrong member type is noticed.
    static func doubles(_ value: ROOTValue) -> [Double]? {
        switch value {
        case .reals(let values): values
        case .integers(let values): values.map(Double.init)
        case .list(let items) where items.isEmpty: []
        default: nil
        }
    }

    static func profile(_ object: ROOTObject, dimension: Int, contents: [Double], sumw2: [Double], className: String) throws -> ROOTHistogramProfile {
        let cells = contents.count
        let binEntries = try cellArray(object, "fBinEntries", cells: cells, className: className)
        guard binEntries.count == cells else {
            throw KaonError(.malformed, "\(className) has \(binEntries.count) bin entries for \(cells) cells")
        }
        let binSumw2 = try cellArray(object, "fBinSumw2", cells: cells, className: className)
        let errorModeCode = object.int("fErrorMode") ?? 0
        let letter = dimension == 3 ? "t" : dimension == 2 ? "z" : "y"
        let errorMode = ROOTHistogramProfile.ErrorMode(code: errorModeCode)

        var values = [Double](repeating: 0, count: cells)
        var errors = [Double](repeating: 0, count: cells)
        for bin in 0..<cells {
            // TProfile::GetBinContent and TProfileHelper::GetBinError (fgApproximate off, its
            // default), with Σw·v², like uproot, taken as 0 when fSumw2 is missing.
            let sum = binEntries[bin]
            guard sum != 0 else { continue }
            let cont = contents[bin]
            let contsum = cont / sum
            values[bin] = contsum
            if errorMode == .spreadGaussian {
                errors[bin] = 1 / sum.squareRoot()
                continue
            }
            let err2 = sumw2.isEmpty ? 0 : sumw2[bin]
            // GetBinEffectiveEntries: (Σw)²/Σw² when Σw² is stored for every cell, else Σw.
            let neff: Double
            if binSumw2.isEmpty {
                neff = sum
            } else {
                neff = binSumw2[bin] > 0 ? sum * sum / binSumw2[bin] : 0
            }
            let eprim = abs(err2 / sum - contsum * contsum).squareRoot()
            switch errorMode {
            case .spreadInteger:
                errors[bin] = eprim != 0 ? eprim / neff.squareRoot() : 1 / (12 * neff).squareRoot()
            case .spread:
                errors[bin] = eprim
            case .mean, .spreadGaussian:
                errors[bin] = eprim / neff.squareRoot()
            }
        }

        return ROOTHistogramProfile(
            binEntries: binEntries,
            binSumw2: binSumw2,
            errorModeCode: errorModeCode,
            valueMinimum: object.double("f\(letter.uppercased())min") ?? 0,
            valueMaximum: object.double("f\(letter.uppercased())max") ?? 0,
            valueSumw: object.double("fTsumw\(letter)") ?? 0,
            valueSumw2: object.double("fTsumw\(letter)2") ?? 0,
            values: values,
            errors: errors
        )
    }
}
