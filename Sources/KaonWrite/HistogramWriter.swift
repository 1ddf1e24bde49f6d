import KaonIO

extension ROOTFileWriter {
    /// Writes a histogram as a key of its class (`className`) at `path` (`dir/sub/name`;
    /// directories are created as needed). Writing the same path again adds a new cycle;
    /// `cycle` sets the cycle number instead (a copy keeping the input's cycles).
    public func write(_ histogram: WritableHistogram, to path: String, cycle: Int? = nil) throws {
        try withContext(file: self.path, object: path) {
            try histogram.validate()
            let parts = path.split(separator: "/").map(String.init)
            guard let name = parts.last else { throw KaonError(.usage, "empty object path") }
            let directory = try directoryIndex(parts.dropLast().joined(separator: "/"))
            var named = histogram
            named.name = name
            try writeKeyed(className: histogram.className, name: name, title: histogram.title, directory: directory,
                           cycle: cycle) { keyLength in
                var writer = ByteWriter(origin: keyLength, capacity: 1024 + 16 * histogram.contents.count)
                HistogramSerializer.write(named, to: &writer)
                return writer.bytes
            }
        }
    }
}

/// The member-wise serialisation of TH1X v3 / TH2X v4 / TH3X v4 (X = C, S, I, F, D; the
/// TH?L classes are v0) and TProfile v7 / TProfile2D v8 / TProfile3D v8, following the
/// TStreamerInfo records in `StreamerRecords` (TH1 v8, TH2 v5, TH3 v6, TAxis v10, TAttAxis
/// v4, TAttLine v2, TAttFill v2, TAttMarker v3). Defaults are ROOT's constructor defaults,
/// so ROOT draws the histograms as it would its own.
enum HistogramSerializer {
    static func write(_ h: WritableHistogram, to w: inout ByteWriter) {
        let stats = h.completeStatistics()
        func stat(_ name: String) -> Double { stats[name] ?? 0 }
        let dimension = h.axes.count
        // A profile is its TH?D base followed by the profile members; the storage class
        // (TH2F, …) is a TH2 base followed by the TArrayF of contents.
        let profileStart = h.profile.map { _ in w.beginObject(version: dimension == 1 ? 7 : 8) }
        let storage = h.profile == nil ? h.storage : .double
        let storageClass = w.beginObject(version: storage.classVersion(dimension: dimension))
        let middle: Int? = switch dimension {
        case 2: w.beginObject(version: 5)  // TH2
        case 3: w.beginObject(version: 6)  // TH3
        default: nil
        }
        writeTH1(h, stats: stats, to: &w)
        switch dimension {
        case 2:
            w.f64(1)  // fScalefactor
            for name in ["fTsumwy", "fTsumwy2", "fTsumwxy"] { w.f64(stat(name)) }
        case 3:
            let att3D = w.beginObject(version: 1)  // TAtt3D: no members
            w.endObject(att3D)
            for name in ["fTsumwy", "fTsumwy2", "fTsumwxy", "fTsumwz", "fTsumwz2", "fTsumwxz", "fTsumwyz"] { w.f64(stat(name)) }
        default: break
        }
        if let middle { w.endObject(middle) }
        storage.writeArray(h.contents, to: &w)  // the TArrayX base: no header
        w.endObject(storageClass)
        if let profile = h.profile, let profileStart {
            // The same members in TProfile, TProfile2D and TProfile3D; only the letter of
            // the profiled value (y, z, t) differs.
            w.arrayD(profile.binEntries)
            w.i32(profile.errorMode)
            w.f64(profile.valueMinimum)
            w.f64(profile.valueMaximum)
            w.f64(profile.sumwy)
            w.f64(profile.sumwy2)
            w.arrayD(profile.binSumw2)
            w.endObject(profileStart)
        }
    }

    static func writeTH1(_ h: WritableHistogram, stats: [String: Double], to w: inout ByteWriter) {
        let th1 = w.beginObject(version: 8)
        w.tNamed(h.name, h.title)
        attLine(&w)
        attFill(&w)
        attMarker(&w)
        w.i32(h.cellCount)
        let names = ["xaxis", "yaxis", "zaxis"]
        for d in 0..<3 {
            // Unused axes are one bin over [0, 1], as ROOT's constructors leave them.
            let axis = d < h.axes.count ? h.axes[d] : WritableHistogram.Axis(edges: [0, 1])
            writeAxis(axis, name: names[d], to: &w)
        }
        w.i16(0)     // fBarOffset
        w.i16(1000)  // fBarWidth
        w.f64(h.entries)
        for name in ["fTsumw", "fTsumw2", "fTsumwx", "fTsumwx2"] { w.f64(stats[name] ?? 0) }
        w.f64(-1111)  // fMaximum: unset
        w.f64(-1111)  // fMinimum: unset
        w.f64(0)      // fNormFactor
        w.arrayD([])  // fContour
        w.arrayD(h.sumw2)
        w.tString("")  // fOption
        // fFunctions (`TList* //->`, streamer type 63): a never-null pointer, streamed in
        // place without a class tag; ROOT always has an (empty) list here.
        emptyList(&w)
        w.i32(0)  // fBufferSize
        w.u8(0)   // fBuffer: the pointer-array byte says "no array"
        w.i32(0)  // fBinStatErrOpt: kNormal
        w.i32(2)  // fStatOverflows: kNeutral (follow the global setting)
        w.endObject(th1)
    }

    static func attLine(_ w: inout ByteWriter) {
        let start = w.beginObject(version: 2)
        w.i16(602); w.i16(1); w.i16(1)  // colour, style, width
        w.endObject(start)
    }

    static func attFill(_ w: inout ByteWriter) {
        let start = w.beginObject(version: 2)
        w.i16(0); w.i16(1001)  // colour, style
        w.endObject(start)
    }

    static func attMarker(_ w: inout ByteWriter) {
        let start = w.beginObject(version: 3)
        w.i16(1); w.i16(1); w.f32(1)  // colour, style, size
        w.endObject(start)
    }

    static func emptyList(_ w: inout ByteWriter) {
        let start = w.beginObject(version: 5)
        w.tObject()
        w.tString("")
        w.i32(0)
        w.endObject(start)
    }

    static func writeAxis(_ axis: WritableHistogram.Axis, name: String, to w: inout ByteWriter) {
        let start = w.beginObject(version: 10)
        w.tNamed(name, axis.title)
        let att = w.beginObject(version: 4)
        w.i32(510)                              // fNdivisions
        w.i16(1); w.i16(1); w.i16(42)           // axis colour, label colour, label font
        w.f32(0.005); w.f32(0.035); w.f32(0.03)  // label offset, label size, tick length
        w.f32(1); w.f32(0.035)                  // title offset, title size
        w.i16(1); w.i16(42)                     // title colour, title font
        w.endObject(att)
        w.i32(axis.bins)
        w.f64(axis.edges.first ?? 0)
        w.f64(axis.edges.last ?? 1)
        w.arrayD(axis.isUniform ? [] : axis.edges)
        w.i32(0)    // fFirst
        w.i32(0)    // fLast
        w.u16(0)    // fBits2
        w.bool(false)  // fTimeDisplay
        w.tString("")  // fTimeFormat
        if let labels = axis.labels {
            // fLabels: a THashList (streamed as a TList) of TObjString, each with its bin
            // number in fUniqueID, as TAxis::SetBinLabel makes them.
            w.objectAny(className: "THashList") { w in
                let list = w.beginObject(version: 5)
                w.tObject()
                w.tString("")
                let used = labels.enumerated().filter { !$0.element.isEmpty }
                w.i32(used.count)
                for (index, label) in used {
                    w.objectAny(className: "TObjString") { w in
                        let string = w.beginObject(version: 1)
                        w.tObject(uniqueID: UInt32(index + 1))
                        w.tString(label)
                        w.endObject(string)
                    }
                    w.tString("")  // the link's option
                }
                w.endObject(list)
            }
        } else {
            w.nullPointer()
        }
        w.nullPointer()  // fModLabs
        w.endObject(start)
    }
}
