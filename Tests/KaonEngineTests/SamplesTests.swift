import Foundation
import KaonEngine
import KaonIO
import KaonTestSupport
import Testing

@Suite struct SamplesTests {
    let nano = sharedDataURL.appendingPathComponent("root/nanoAOD_2015_CMS_Open_Data_ttbar.root").path

    @Test func parsesSamplesAndNormalisesMC() throws {
        let yaml = """
        luminosity: 2256.38
        samples:
          ttbar:
            files: [\(nano)]
            type: mc
            group: top
            cross-section: 831.76
            sum-of-weights-from: {tree: Events, branch: genWeight}
          ttbar-counted:
            files: \(nano)
            type: mc
            cross-section: 831.76
            generated-events: 200
          data:
            files: [\(adlFile)]
            type: data
        """
        let set = try SampleSet(yaml: yaml)
        #expect(set.samples.map(\.name) == ["data", "ttbar", "ttbar-counted"])
        #expect(set.samples[1].group == "top" && set.samples[2].group == "ttbar-counted")
        let scale = try set.normalisations()
        // Sum of genWeight from crosschecks/references/engine_counts.py (uproot).
        #expect(scale["ttbar"] == 2256.38 * 831.76 / 33432083.0625)
        #expect(scale["ttbar-counted"] == 2256.38 * 831.76 / 200)
        #expect(scale["data"] == 1)
    }

    @Test(arguments: [
        ("samples: {a: {files: [x.root], type: mc, cross-section: 1, generated-events: 5}}", "luminosity"),
        ("luminosity: 1\nsamples: {a: {files: [x.root], type: mc, generated-events: 5}}", "cross-section"),
        ("luminosity: 1\nsamples: {a: {files: [x.root], type: mc, cross-section: 2}}", "generated-events"),
        ("luminosity: 1\nsamples: {a: {files: [x.root], type: banana}}", "'type'"),
        ("luminosity: 1\nsamples: {a: {files: [x.root], type: data, colour: red}}", "colour"),
        ("luminosity: [", "YAML"),
    ])
    func badSamplesFilesNameTheProblem(yaml: String, needle: String) {
        #expect {
            try SampleSet(yaml: yaml, name: "test.yml")
        } throws: { error in
            "\(error)".contains(needle) && "\(error)".contains("test.yml")
        }
    }
}
