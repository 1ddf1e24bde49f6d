import Foundation
import KaonEngine
import KaonExamples
import KaonIO
import KaonTestSupport
import Testing

/// The AGC's building blocks against the reference implementation's own functions (its
/// `utils` package, run by the peers' Python): the jet-parton assignments in order, and the
/// samples file's normalisation from `nanoaod_inputs.json`. The whole analysis is compared
/// with the reference in crosschecks/peers/test_agc.py.
@Suite struct AGCTests {
    static let reference = sharedData + "/agc/reference-implementation"

    @Test func assignmentsAreTheReferencePermutationsInOrder() throws {
        let code = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        from utils.ml import get_permutations_dict
        print(json.dumps({str(n): p for n, p in get_permutations_dict(6).items()}))
        """
        let run = try Peers.run(code: code, Self.reference)
        try #require(run.succeeded, "\(run.failureMessage)")
        let json = try JSONValue.parse(String(run.output.split(separator: "\n").last!))
        for n in 4...6 {
            let expected = try #require(json[String(n)]?.array).map { $0.array!.map { Int($0.integer!) } }
            let ours = AGCJetAssignment.assignments[n].map { [$0.w1, $0.w2, $0.bHadronic, $0.bLeptonic] }
            #expect(ours == expected, "\(n) jets")
        }
    }

    @Test func samplesFileNormalisesAsTheReference() throws {
        let code = """
        import json, os, sys
        sys.path.insert(0, sys.argv[1])
        os.chdir(os.path.dirname(sys.argv[1]))
        from utils.file_input import construct_fileset
        fileset = construct_fileset(2)
        print(json.dumps({k: {"files": v["files"], "nevts": v["metadata"]["nevts"], "xsec": v["metadata"]["xsec"]} for k, v in fileset.items()}))
        """
        let run = try Peers.run(code: code, Self.reference)
        try #require(run.succeeded, "\(run.failureMessage)")
        let expected = try JSONValue.parse(String(run.output.split(separator: "\n").last!))
        let yaml = try AGCSamples.yamlFromInputs(path: sharedData + "/agc/nanoaod_inputs.json", filesPerSample: 2)
        let samples = try YAMLJSON.parse(yaml)["samples"]
        guard case .object(let members) = expected else { Issue.record("expected an object"); return }
        #expect(members.count == 9)
        for (name, reference) in members {
            let ours = try #require(samples?[name], "\(name)")
            #expect(ours["generated-events"]?.integer == reference["nevts"]?.integer, "\(name)")
            #expect(ours["cross-section"]?.number == reference["xsec"]?.number, "\(name)")
            #expect(ours["files"]?.array?.compactMap(\.string) == reference["files"]?.array?.compactMap(\.string), "\(name)")
        }
    }
}
