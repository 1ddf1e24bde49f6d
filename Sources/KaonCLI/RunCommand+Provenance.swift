import ArgumentParser
import Foundation
import KaonAnalysis
import KaonEngine
import KaonIO
import KaonROOT

extension RunCommand {
    /// What decides this run's results besides its inputs, as named parts hashed into the
    /// provenance: the ADL text or the example analysis' name, the samples file (or the
    /// --files list and tree), and --on-failure. Threads, output folder and scheduler do not
    /// change results (runs are deterministic in the thread count), so they are not parts.
    func configuration() throws -> Provenance.Configuration {
        func contents(_ path: String, _ role: String) throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KaonError(.notFound, "cannot read the \(role)", file: path)
            }
            return Array(data)
        }
        var configuration = Provenance.Configuration()
        if isADL {
            configuration.add("adl", try contents(samples, "ADL file"))
            if let samplesFile {
                configuration.add("samples", try contents(samplesFile, "samples file"))
            } else {
                configuration.add("files", Array(files.joined(separator: "\n").utf8))
                configuration.add("tree", Array(tree.utf8))
            }
        } else {
            configuration.add("analysis", Array((analysis ?? "").utf8))
            configuration.add("samples", try contents(samples, "samples file"))
        }
        configuration.add("on-failure", Array(onFailure.utf8))
        return configuration
    }

    /// The provenance of `results`, a run of this command over `set`.
    func provenance(of results: AnalysisResults, samples set: SampleSet, threads: Int) throws -> Provenance {
        try Self.provenance(of: results, samples: set, configuration: configuration(), threads: threads)
    }

    /// The provenance of a run of this `kaon` (any command) over `set` with `configuration`.
    static func provenance(of results: AnalysisResults, samples set: SampleSet, configuration: Provenance.Configuration,
                           threads: Int) throws -> Provenance {
        Provenance(inputs: try set.provenanceInputs(of: results.summary), kaonVersion: KaonBuild.version, gitCommit: KaonBuild.gitCommit,
                   analysis: results.analysisName, configuration: configuration, commandLine: CommandLine.arguments, threads: threads)
    }

    /// `--reproduce FILE`: reruns the command FILE's provenance records, in its directory,
    /// after checking that nothing it read changed (each input's UUID and size, the
    /// configuration's digests), and compares every histogram bin for bin with the UHI JSON
    /// (`results.json`) beside FILE. Throws, naming what changed or which histograms differ.
    static func reproduce(_ path: String) throws {
        let record = try ProvenanceCommand.read(path)
        let recorded = try recordedHistograms(beside: path)
        let arguments = record.commandLine
        guard arguments.count >= 2, arguments[1] == "run" else {
            throw KaonError(.usage, "was made by `\(arguments.joined(separator: " "))`, not by kaon run: nothing to rerun", file: path)
        }
        var rerun: RunCommand
        do {
            rerun = try RunCommand.parse(Array(arguments.dropFirst(2)))
        } catch {
            throw KaonError(.usage, "its recorded command line no longer parses: \(RunCommand.message(for: error))", file: path)
        }
        guard FileManager.default.changeCurrentDirectoryPath(record.workingDirectory) else {
            throw KaonError(.notFound, "the run's directory \(record.workingDirectory) is gone", file: path)
        }
        let changed = try rerun.configuration().differences(from: record.configuration)
        guard changed.isEmpty else {
            throw KaonError(.usage, "the configuration changed since the run (\(changed.joined(separator: ", ")) differ from the recorded SHA-256); not rerunning", file: path)
        }
        var problems: [String] = []
        for input in record.inputs where input.entries > 0 || input.uuid != nil {
            guard let file = try? ROOTFile(path: input.path) else { problems.append("\(input.path): cannot be opened"); continue }
            if file.source.size != input.size { problems.append("\(input.path): size \(input.size) → \(file.source.size) bytes") }
            if file.header.uuid != input.uuid { problems.append("\(input.path): UUID \(input.uuid ?? "none") → \(file.header.uuid ?? "none")") }
        }
        guard problems.isEmpty else {
            throw KaonError(.usage, "inputs changed since the run; not rerunning:\n  " + problems.joined(separator: "\n  "), file: path)
        }
        // Only the results are needed: nothing is written (the rerun's --metrics included).
        let (results, _) = try rerun.analyse()
        // Through text, as the recorded ones came: numbers compare in the same representation.
        let rerunHistograms = histogramLeaves(try JSONValue.parse(results.uhiJSON.text))
        let differing = Set(recorded.keys).union(rerunHistograms.keys).filter { recorded[$0] != rerunHistograms[$0] }.sorted()
        guard differing.isEmpty else {
            throw KaonError(.usage, "the rerun's histograms differ from the recorded ones: " + differing.joined(separator: ", "), file: path)
        }
        if record.gitCommit != KaonBuild.gitCommit || record.kaonVersion != KaonBuild.version {
            print("note: recorded by Kaon \(record.kaonVersion) (commit \(record.gitCommit)); rerun by \(KaonBuild.version) (commit \(KaonBuild.gitCommit))")
        }
        print("reproduced: \(recorded.count) histograms identical bin for bin; \(record.inputs.count) input(s) unchanged, configuration sha256 \(record.configuration.sha256)")
        print(results.summary)
    }

    /// The histograms of the `results.json` in FILE's folder, by `sample/name/variation`.
    private static func recordedHistograms(beside path: String) throws -> [String: JSONValue] {
        let json = (path as NSString).deletingLastPathComponent.isEmpty ? "results.json"
            : (path as NSString).deletingLastPathComponent + "/results.json"
        guard let data = FileManager.default.contents(atPath: json) else {
            throw KaonError(.notFound, "--reproduce compares the rerun with the results.json beside \(path), and there is none", file: json)
        }
        return histogramLeaves(try withContext(file: json) { try JSONValue.parse(String(decoding: data, as: UTF8.self)) })
    }

    /// `{sample: {name: {variation: histogram}}}` flattened to `sample/name/variation` (the
    /// provenance member left out).
    private static func histogramLeaves(_ document: JSONValue) -> [String: JSONValue] {
        guard case .object(let samples) = document else { return [:] }
        var leaves: [String: JSONValue] = [:]
        for (sample, names) in samples where sample != Provenance.outputName {
            guard case .object(let byName) = names else { continue }
            for (name, variations) in byName {
                guard case .object(let byVariation) = variations else { continue }
                for (variation, histogram) in byVariation { leaves["\(sample)/\(name)/\(variation)"] = histogram }
            }
        }
        return leaves
    }
}
