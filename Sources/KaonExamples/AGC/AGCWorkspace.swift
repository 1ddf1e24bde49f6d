import Foundation
import KaonAnalysis
import KaonIO

/// A cabinetry configuration (the AGC's `cabinetry_config.yml`) turned into a pyhf workspace
/// from histograms in the AGC layout (``AGCHistograms``), as cabinetry's
/// `templates.build` (with the AGC's rebinning) and `workspace.build` make it.
///
/// Histograms are looked up by the config's `InputPath` pattern (`{RegionPath}_{SamplePath}
/// {VariationPath}`, the part after `:`), and merged into each region's `Binning` (whose edges
/// must be edges of the histogram; the AGC merges 20 GeV bins from 110 GeV into 40 GeV ones).
/// Like cabinetry: each MC sample gets `staterror_<region name with - for spaces>` from √Σw²,
/// the `NormFactors`, then for every systematic acting on it a `normsys` (`Normalization`:
/// hi/lo = 1 ± value; `NormPlusShape`: hi/lo = varied/nominal yield) and, for
/// `NormPlusShape`, a `histosys` with the variations scaled to the nominal yield;
/// `Symmetrize` makes the down 2 × nominal − (normalised up) and lo = 2 − hi.
///
/// ```swift
/// let json = try AGCWorkspace.build(config: "cabinetry_config.yml", histograms: layout)
/// ```
public enum AGCWorkspace {
    /// The pyhf workspace for a cabinetry config file and the histograms by name.
    public static func build(config path: String, histograms: [AGCHistograms.Entry]) throws -> JSONValue {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw KaonError(.system, "cannot read the cabinetry config: \(error.localizedDescription)", file: path)
        }
        return try build(config: YAMLJSON.parse(text, name: path), name: path, histograms: histograms)
    }

    /// The pyhf workspace for a parsed cabinetry config; errors name `name` and the entry.
    public static func build(config: JSONValue, name: String, histograms: [AGCHistograms.Entry]) throws -> JSONValue {
        func fail(_ message: String) -> KaonError { KaonError(.malformed, message, file: name) }
        let byName = Dictionary(histograms.map { ($0.name, $0.histogram) }, uniquingKeysWith: { a, _ in a })
        guard let general = config["General"], let pattern = general["InputPath"]?.string,
              let regions = config["Regions"]?.array, let samples = config["Samples"]?.array else {
            throw fail("expected General.InputPath, Regions and Samples")
        }
        let systematics = config["Systematics"]?.array ?? []
        let normFactors = config["NormFactors"]?.array ?? []
        let histogramPattern = pattern.split(separator: ":", maxSplits: 1).last.map(String.init) ?? pattern
        let defaultVariation = general["VariationPath"]?.string ?? ""

        func affects(_ entry: JSONValue, _ key: String, _ itemName: String) -> Bool {
            guard let listed = entry[key] else { return true }
            if let one = listed.string { return one == itemName }
            return listed.array?.contains { $0.string == itemName } ?? true
        }
        /// Yields and variances of one template merged into the region's binning.
        func template(_ region: JSONValue, _ sample: JSONValue, variationPath: String) throws -> (yields: [Double], variances: [Double]) {
            let key = histogramPattern
                .replacingOccurrences(of: "{RegionPath}", with: region["RegionPath"]?.string ?? "")
                .replacingOccurrences(of: "{SamplePath}", with: sample["SamplePath"]?.string ?? "")
                .replacingOccurrences(of: "{VariationPath}", with: variationPath)
            guard let h = byName[key] else {
                throw KaonError(.notFound, "no histogram '\(key)' for region '\(region["Name"]?.string ?? "")', sample '\(sample["Name"]?.string ?? "")'", file: name)
            }
            guard let edges = region["Binning"]?.array?.compactMap(\.number), edges.count >= 2 else {
                throw fail("region '\(region["Name"]?.string ?? "")' needs a Binning")
            }
            guard case .regular(let axis) = h.axes[0] else { throw fail("histogram '\(key)' is not on a regular axis") }
            let width = (axis.upper - axis.lower) / Double(axis.size)
            let values = h.values(), variances = h.variances() ?? values
            var yields = [Double](repeating: 0, count: edges.count - 1), sumw2 = yields
            for b in 0..<(edges.count - 1) {
                let first = (edges[b] - axis.lower) / width, last = (edges[b + 1] - axis.lower) / width
                guard first >= 0, last <= Double(axis.size), abs(first - first.rounded()) < 1e-9, abs(last - last.rounded()) < 1e-9 else {
                    throw fail("Binning edge \(edges[b]) or \(edges[b + 1]) of region '\(region["Name"]?.string ?? "")' is not an edge of '\(key)'")
                }
                for k in Int(first.rounded())..<Int(last.rounded()) { yields[b] += values[k]; sumw2[b] += variances[k] }
            }
            return (yields, sumw2)
        }
        func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }

        var channels: [JSONValue] = [], observations: [JSONValue] = []
        for region in regions {
            guard let regionName = region["Name"]?.string else { throw fail("a region without a Name") }
            var channelSamples: [JSONValue] = []
            for sample in samples {
                guard let sampleName = sample["Name"]?.string else { throw fail("a sample without a Name") }
                if sample["Data"]?.bool == true {
                    observations.append(.object([("name", .string(regionName)),
                                                 ("data", numbers(try template(region, sample, variationPath: defaultVariation).yields))]))
                    continue
                }
                let nominal = try template(region, sample, variationPath: defaultVariation)
                let nominalYield = nominal.yields.reduce(0, +)
                var modifiers: [JSONValue] = []
                if sample["DisableStaterror"]?.bool != true {
                    modifiers.append(.object([("name", .string("staterror_" + regionName.replacingOccurrences(of: " ", with: "-"))),
                                              ("type", .string("staterror")), ("data", numbers(nominal.variances.map { $0.squareRoot() }))]))
                }
                for factor in normFactors where affects(factor, "Samples", sampleName) && affects(factor, "Regions", regionName) {
                    modifiers.append(.object([("data", .null), ("name", .string(factor["Name"]?.string ?? "")), ("type", .string("normfactor"))]))
                }
                for systematic in systematics where affects(systematic, "Samples", sampleName) && affects(systematic, "Regions", regionName) {
                    let systematicName = systematic["Name"]?.string ?? ""
                    let modifierName = systematic["ModifierName"]?.string ?? systematicName
                    switch systematic["Type"]?.string {
                    case "Normalization":
                        guard let up = systematic["Up"]?["Normalization"]?.number, let down = systematic["Down"]?["Normalization"]?.number else {
                            throw fail("systematic '\(systematicName)' needs Up and Down Normalization")
                        }
                        modifiers.append(.object([("name", .string(modifierName)), ("type", .string("normsys")),
                                                  ("data", .object([("hi", .number(1 + up)), ("lo", .number(1 + down))]))]))
                    case "NormPlusShape":
                        let upPath = systematic["Up"]?["VariationPath"]?.string ?? defaultVariation
                        let up = try template(region, sample, variationPath: upPath).yields
                        let hi: Double, lo: Double, upShape: [Double], downShape: [Double]
                        if systematic["Down"]?["Symmetrize"]?.bool == true {
                            hi = up.reduce(0, +) / nominalYield
                            lo = 2 - hi
                            upShape = up.map { $0 / hi }
                            downShape = zip(nominal.yields, upShape).map { 2 * $0 - $1 }
                        } else {
                            let downPath = systematic["Down"]?["VariationPath"]?.string ?? defaultVariation
                            let down = try template(region, sample, variationPath: downPath).yields
                            hi = up.reduce(0, +) / nominalYield
                            lo = down.reduce(0, +) / nominalYield
                            upShape = up.map { $0 / hi }
                            downShape = down.map { $0 / lo }
                        }
                        modifiers.append(.object([("name", .string(modifierName)), ("type", .string("normsys")),
                                                  ("data", .object([("hi", .number(hi)), ("lo", .number(lo))]))]))
                        if nominal.yields.count > 1 {
                            modifiers.append(.object([("name", .string(modifierName)), ("type", .string("histosys")),
                                                      ("data", .object([("hi_data", numbers(upShape)), ("lo_data", numbers(downShape))]))]))
                        }
                    default:
                        throw fail("systematic '\(systematicName)': type \(systematic["Type"]?.string ?? "none") is not Normalization or NormPlusShape")
                    }
                }
                channelSamples.append(.object([("name", .string(sampleName)), ("data", numbers(nominal.yields)), ("modifiers", .array(modifiers))]))
            }
            channels.append(.object([("name", .string(regionName)), ("samples", .array(channelSamples))]))
        }
        var parameters: [JSONValue] = []
        for factor in normFactors {
            var members: [(String, JSONValue)] = [("name", .string(factor["Name"]?.string ?? ""))]
            if let nominal = factor["Nominal"]?.number { members.append(("inits", .array([.number(nominal)]))) }
            if let bounds = factor["Bounds"]?.array?.compactMap(\.number), bounds.count == 2 {
                members.append(("bounds", .array([numbers(bounds)])))
            }
            parameters.append(.object(members))
        }
        let measurement: JSONValue = .object([
            ("name", .string(general["Measurement"]?.string ?? "measurement")),
            ("config", .object([("parameters", .array(parameters)), ("poi", .string(general["POI"]?.string ?? ""))])),
        ])
        return .object([("channels", .array(channels)), ("measurements", .array([measurement])),
                        ("observations", .array(observations)), ("version", .string("1.0.0"))])
    }
}
