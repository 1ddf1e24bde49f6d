import KaonNano
import KaonPhysics

/// The object view against a hand-written loop over the same columns, timed in-process.
///
/// Both loops do the same physics per event — sum the pt of muons above 20 GeV, count
/// opposite-charge dimuons with 60 < m < 120 GeV, sum the b-tag of jets above 30 GeV — the
/// first through `event.muons`/`muon.pt`/`(a.p4 + b.p4).mass`, the second with raw
/// buffer indices. Columns are loaded before timing (I/O is not measured), each function
/// returns the fastest of `repetitions` runs in seconds (the least disturbed by other load).
///
/// ```swift
/// let views = try NanoBenchmarks.load(Events(path: "adl-1000000-zstd5.root"))
/// let ratio = NanoBenchmarks.objectLoop(views) / NanoBenchmarks.rawLoop(views)
/// ```
public enum NanoBenchmarks {
    /// What both loops compute (equal results prove they did the same work).
    public struct Result: Equatable, Sendable {
        /// Σ pt of muons with pt > 20.
        public var muonPt = 0.0
        /// Opposite-charge muon pairs with 60 < m < 120 GeV.
        public var zCandidates = 0
        /// Σ b-tag of jets with pt > 30.
        public var jetBtag = 0.0
        /// Jets with pt > 30.
        public var jets = 0
        /// All zero.
        @inlinable public init() {}
    }

    /// Opens every chunk of `events` and reads the columns the loops use (so that timing
    /// excludes I/O); throws if one is missing.
    ///
    /// ```swift
    /// let views = try NanoBenchmarks.load(events)
    /// ```
    public static func load(_ events: Events) throws -> [ChunkView] {
        try events.sources.indices.map { i in
            let view = events.chunk(i)
            _ = objectKernel(view)
            for e in 0..<view.count { _ = ADLQuery6View.bestTrijet(view[e].jets) }
            try view.check()
            return view
        }
    }

    /// The per-event loop written with the object view.
    @inlinable
    public static func objectKernel(_ view: ChunkView) -> Result {
        var r = Result()
        for e in 0..<view.count {
            let event = view[e]
            let muons = event.muons
            for muon in muons where muon.pt > 20 { r.muonPt += Double(muon.pt) }
            for (a, b) in muons.pairs() where a.charge != b.charge {
                let m = (a.p4 + b.p4).mass
                if m > 60 && m < 120 { r.zCandidates += 1 }
            }
            for jet in event.jets where jet.pt > 30 {
                r.jetBtag += Double(jet.btag)
                r.jets += 1
            }
        }
        return r
    }

    /// The same loop written by hand over the raw buffers and offsets.
    @inlinable
    public static func rawKernel(_ view: ChunkView) throws -> Result {
        let muons = view.store(for: Muon.self), jets = view.store(for: Jet.self)
        let mo = muons.offsetsBuffer, jo = jets.offsetsBuffer
        let pt = try muons.buffer("pt", as: Float.self), eta = try muons.buffer("eta", as: Float.self)
        let phi = try muons.buffer("phi", as: Float.self), mass = try muons.buffer("mass", as: Float.self)
        let charge = try muons.buffer("charge", as: Int32.self)
        let jetPt = try jets.buffer("pt", as: Float.self), btag = try jets.buffer(Jet.Field.btag, as: Float.self)
        var r = Result()
        for e in 0..<view.count {
            let start = mo[e], end = mo[e + 1]
            for i in start..<end where pt[i] > 20 { r.muonPt += Double(pt[i]) }
            if end - start >= 2 {
                for i in start..<(end - 1) {
                    for j in (i + 1)..<end where charge[i] != charge[j] {
                        let m = (PtEtaPhiMVector(pt: pt[i], eta: eta[i], phi: phi[i], mass: mass[i])
                                 + PtEtaPhiMVector(pt: pt[j], eta: eta[j], phi: phi[j], mass: mass[j])).mass
                        if m > 60 && m < 120 { r.zCandidates += 1 }
                    }
                }
            }
            for i in jo[e]..<jo[e + 1] where jetPt[i] > 30 {
                r.jetBtag += Double(btag[i])
                r.jets += 1
            }
        }
        return r
    }

    /// Seconds for the object-view loop over all `views` (fastest of `repetitions`).
    public static func objectLoop(_ views: [ChunkView], repetitions: Int = 5) -> Double {
        best(of: repetitions) { for v in views { blackHole(objectKernel(v)) } }
    }

    /// Seconds for the hand-written loop over the same columns (fastest of `repetitions`).
    public static func rawLoop(_ views: [ChunkView], repetitions: Int = 5) throws -> Double {
        var failure: Error?
        let seconds = best(of: repetitions) {
            for v in views {
                do { blackHole(try rawKernel(v)) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        return seconds
    }

    /// The object loop against the raw loop, alternating one run of each `runs` times (so
    /// both see the same machine load); the ratio of each pair is object / raw.
    ///
    /// ```swift
    /// let timing = try NanoBenchmarks.objectVersusRaw(views, runs: 7)
    /// print(timing.medianRatio)   // ≤ 1.2 is the goal
    /// ```
    public static func objectVersusRaw(_ views: [ChunkView], runs: Int = 5) throws -> LoopComparison {
        var object: [Double] = [], raw: [Double] = []
        for _ in 0..<Swift.max(1, runs) {
            object.append(objectLoop(views, repetitions: 1))
            raw.append(try rawLoop(views, repetitions: 1))
        }
        return LoopComparison(objectSeconds: object, rawSeconds: raw)
    }

    /// Paired timings of the object loop and the raw loop.
    public struct LoopComparison: Sendable {
        /// Seconds of each object-loop run.
        public var objectSeconds: [Double]
        /// Seconds of each raw-loop run (run i right after object run i).
        public var rawSeconds: [Double]
        /// object / raw of each pair.
        public var ratios: [Double] { zip(objectSeconds, rawSeconds).map { $0 / $1 } }
        /// The median of ``ratios``.
        public var medianRatio: Double { median(ratios) }
        /// The median object-loop time.
        public var medianObjectSeconds: Double { median(objectSeconds) }
        /// The median raw-loop time.
        public var medianRawSeconds: Double { median(rawSeconds) }
    }

    /// Both loops' results over `views` (must be equal).
    ///
    /// ```swift
    /// let (a, b) = try NanoBenchmarks.results(views)
    /// assert(a == b)
    /// ```
    public static func results(_ views: [ChunkView]) throws -> (objects: Result, raw: Result) {
        var a = Result(), b = Result()
        for v in views {
            let x = objectKernel(v), y = try rawKernel(v)
            a.muonPt += x.muonPt; a.zCandidates += x.zCandidates; a.jetBtag += x.jetBtag; a.jets += x.jets
            b.muonPt += y.muonPt; b.zCandidates += y.zCandidates; b.jetBtag += y.jetBtag; b.jets += y.jets
        }
        return (a, b)
    }
}
