import Foundation
import KaonEngine
import KaonExamples
import KaonIO
import KaonTestSupport
import Testing

/// The toy dataset is checked by the peers: ROOT and uproot open every file, the `Runs`
/// weight sums equal the events' `genWeight`s, the Drell–Yan muons make a Z peak, and
/// the same seed gives the same events.
@Suite struct ToyDatasetTests {
    @Test func peersReadTheToyAndItIsDeterministic() throws {
        let output = try OutputDirectory(environment: "KAON_TOY_DIR", name: "toy")
        defer { output.removeUnlessKept() }
        let toy = try ToyDataset.write(to: output.path + "/a", scale: 0.03, seed: 7)
        _ = try ToyDataset.write(to: output.path + "/b", scale: 0.03, seed: 7)
        let check = """
        import glob, json, os, sys
        import awkward as ak, numpy as np, uproot, vector, ROOT
        ROOT.gErrorIgnoreLevel = ROOT.kWarning
        vector.register_awkward()
        a, b = sys.argv[1], sys.argv[2]
        out = {"samples": {}}
        for path in sorted(glob.glob(a + "/*.root")):
            name = os.path.basename(path)
            f = ROOT.TFile.Open(path)
            assert f and not f.IsZombie(), path
            rootEntries = f.Get("Events").GetEntries()
            events = uproot.open(path)["Events"].arrays(library="ak")
            other = uproot.open(os.path.join(b, name))["Events"].arrays(library="ak")
            assert ak.to_list(events) == ak.to_list(other), "same seed, different events in " + name
            sample = name.rsplit("_", 1)[0]
            s = out["samples"].setdefault(sample, {"entries": 0, "sumw": 0.0, "runsSumw": 0.0})
            s["entries"] += len(events)
            assert rootEntries == len(events)
            if "genWeight" in events.fields:
                s["sumw"] += float(ak.to_numpy(events.genWeight).astype(np.float64).sum())
                s["runsSumw"] += float(uproot.open(path)["Runs"]["genEventSumw"].array(library="np").sum())
            if sample == "DYJetsToMuMu":
                mu = ak.zip({"pt": events.Muon_pt, "eta": events.Muon_eta, "phi": events.Muon_phi,
                             "mass": events.Muon_mass, "charge": events.Muon_charge}, with_name="Momentum4D")
                mu = mu[events.Muon_tightId & (events.Muon_pfRelIso04_all < 0.15)]
                two = mu[ak.num(mu) == 2]
                two = two[two[:, 0].charge != two[:, 1].charge]
                masses = (two[:, 0] + two[:, 1]).mass
                s.setdefault("masses", []).extend(ak.to_list(masses))
        dy = out["samples"]["DYJetsToMuMu"]
        dy["medianMass"] = float(np.median(dy.pop("masses")))
        print(json.dumps(out))
        """
        let run = try Peers.run(code: check, toy.folder, output.path + "/b")
        try #require(run.succeeded, "\(run.failureMessage)")
        let json = try JSONValue.parse(String(run.output.split(separator: "\n").last!))
        let samples = try #require(json["samples"])
        for spec in toy.samples {
            let sample = try #require(samples[spec.name], "no files for \(spec.name)")
            #expect(sample["entries"]?.number == Double(spec.events), "\(spec.name)")
            if spec.isMC {
                #expect(sample["sumw"]?.number == sample["runsSumw"]?.number, "\(spec.name)")
            }
        }
        let median = try #require(samples["DYJetsToMuMu"]?["medianMass"]?.number)
        #expect(abs(median - 91.19) < 1.5, "Z peak at \(median)")

        // Kaon reads the samples file it wrote: MC normalised with the Runs sums uproot saw.
        let set = try SampleSet(path: toy.samplesFile)
        let norms = try set.normalisations()
        for spec in toy.samples where spec.isMC {
            let sumw = try #require(samples[spec.name]?["runsSumw"]?.number)
            #expect(norms[spec.name] == toy.luminosity * spec.crossSection / sumw, "\(spec.name)")
        }
        #expect(norms["SingleMuon"] == 1)
    }
}
