import Foundation
import KaonIO

/// The AGC's samples and their normalisation, and the samples files `kaon agc samples` and
/// `kaon agc generate` write for `kaon agc run` (or `kaon run`).
///
/// A sample is named `process__variation` (`ttbar__ME_var`): the process, and either
/// `nominal` or the alternative simulation it stands for. MC is normalised to the AGC's
/// luminosity (3378 /pb) × cross-section / number of generated events (the `nevts` of the
/// files used), as the reference normalises.
///
/// ```swift
/// let text = try AGCSamples.yamlFromInputs(path: "nanoaod_inputs.json", filesPerSample: 1)
/// ```
public enum AGCSamples {
    /// One process: its name, cross-section (pb) and the variations simulated for it.
    public struct Process: Sendable {
        public var name: String
        public var crossSection: Double
        public var variations: [String]
    }

    /// One sample of a samples file.
    public struct Entry: Sendable {
        public var process: String, variation: String
        public var files: [String]
        public var generatedEvents: Int
    }

    /// The AGC's integrated luminosity, 1/pb.
    public static let luminosity = 3378.0

    /// The processes and cross-sections of the AGC (pb, from the ATLAS 13 TeV MC15 table the
    /// AGC cites; tt̄ is nonallhad + allhad, t-channel scaled from the lepton filter, W+jets
    /// to the e/μ+ν final states).
    public static let processes: [Process] = [
        Process(name: "ttbar", crossSection: 396.87 + 332.97, variations: ["nominal", "scaledown", "scaleup", "ME_var", "PS_var"]),
        Process(name: "single_top_s_chan", crossSection: 2.0268 + 1.2676, variations: ["nominal"]),
        Process(name: "single_top_t_chan", crossSection: (36.993 + 22.175) / 0.252, variations: ["nominal"]),
        Process(name: "single_top_tW", crossSection: 37.936 + 37.906, variations: ["nominal"]),
        Process(name: "wjets", crossSection: 61457 * 0.252, variations: ["nominal"]),
    ]

    /// The process and variation of a sample name (`ttbar__ME_var` → (`ttbar`, `ME_var`)).
    public static func split(_ sample: String) -> (process: String, variation: String) {
        guard let range = sample.range(of: "__") else { return (sample, "nominal") }
        return (String(sample[..<range.lowerBound]), String(sample[range.upperBound...]))
    }

    /// The samples file for `entries`.
    public static func yaml(_ entries: [Entry], comment: String) -> String {
        var text = "# \(comment)\nluminosity: \(luminosity)   # 1/pb\ntree: Events\nsamples:\n"
        for entry in entries {
            guard let process = processes.first(where: { $0.name == entry.process }) else { continue }
            let files = entry.files.map { "\"\($0)\"" }.joined(separator: ", ")
            text += "  \(entry.process)__\(entry.variation):\n"
            text += "    files: [\(files)]\n"
            text += "    type: mc\n    group: \(entry.process)\n"
            text += "    cross-section: \(process.crossSection)   # pb\n"
            text += "    generated-events: \(entry.generatedEvents)\n"
        }
        return text
    }

    /// The samples file for the AGC's `nanoaod_inputs.json`: the first `filesPerSample` files
    /// of each sample (all with nil), their URLs kept unless a `replacements` prefix matches
    /// (`https://xrootd-local.unl.edu:1094//store/user/AGC` → a local copy), and the number
    /// of generated events summed over those files. `data` is skipped, as in the reference.
    public static func yamlFromInputs(path: String, filesPerSample: Int?, replacements: [(String, String)] = []) throws -> String {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw KaonError(.system, "cannot read the AGC inputs list: \(error.localizedDescription)", file: path)
        }
        let json = try JSONValue.parse(text)
        var entries: [Entry] = []
        for process in processes {
            guard let variations = json[process.name] else {
                throw KaonError(.malformed, "no process '\(process.name)' in the inputs list", file: path)
            }
            for variation in process.variations {
                guard let files = variations[variation]?["files"]?.array else {
                    throw KaonError(.malformed, "no files for \(process.name) \(variation) in the inputs list", file: path)
                }
                let used = filesPerSample.map { Array(files.prefix($0)) } ?? files
                var paths: [String] = [], events = 0
                for file in used {
                    guard var url = file["path"]?.string, let n = file["nevts"]?.integer else {
                        throw KaonError(.malformed, "a file of \(process.name) \(variation) lacks 'path' or 'nevts'", file: path)
                    }
                    for (prefix, replacement) in replacements where url.hasPrefix(prefix) {
                        url = replacement + url.dropFirst(prefix.count)
                        break
                    }
                    paths.append(url)
                    events += Int(n)
                }
                entries.append(Entry(process: process.name, variation: variation, files: paths, generatedEvents: events))
            }
        }
        let scope = filesPerSample.map { "the first \($0) file(s) per sample" } ?? "every file"
        return yaml(entries, comment: "AGC samples from \((path as NSString).lastPathComponent): \(scope), written by `kaon agc samples`")
    }
}
