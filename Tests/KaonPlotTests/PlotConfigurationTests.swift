import KaonIO
import KaonPlot
import Testing

/// `kaon plot`'s YAML: what it reads, and errors that name file, line and key.
@Suite struct PlotConfigurationTests {
    @Test func readsSettingsGroupsAndPlots() throws {
        let config = try PlotConfiguration.parse("""
            settings: {experiment: ATLAS, label: Internal, luminosity: 140, energy: 13.6, cut-flow: false}
            groups:
              data: {type: data, samples: [SingleMuon]}
              DY: {legend: "Drell–Yan", colour: "#5790fc", order: 2, samples: ["DY*"]}
              Zp: {type: signal, stacked: true, color: red}
            plots:
              mll: {x-title: "m [GeV]", rebin: 2, log: true, blind: [[85, 95], [120, 130]], normalize: to-data}
              "SR/*": {ratio: false, blind: [0, 10]}
              nJets:
            """, file: "plots.yml")
        #expect(config.style.experiment == .atlas && config.style.label == "Internal" && config.style.luminosity == 140)
        #expect(config.style.energy == 13.6 && !config.cutFlow)
        #expect(config.groups.map(\.name) == ["data", "DY", "Zp"])
        #expect(config.groups[0].type == .data && config.groups[1].samples == ["DY*"] && config.groups[1].order == 2)
        #expect(config.groups[2].stacked && config.groups[2].colour == "red" && config.groups[2].samples == ["Zp"])
        let mll = try #require(config.plot(for: "mll"))
        #expect(mll.rebin == 2 && mll.log && mll.blinded == [85...95, 120...130] && mll.normalisation == .toData)
        #expect(config.plot(for: "SR/ht")?.ratio == false && config.plot(for: "SR/ht")?.blinded == [0...10])
        #expect(config.plot(for: "nJets") == PlotConfiguration.Plot(pattern: "nJets"))
        #expect(config.plot(for: "jetHT") == nil, "a configuration with plots draws only those")
        #expect(PlotConfiguration().plot(for: "jetHT") != nil, "without plots every histogram is drawn")
    }

    /// The error of parsing `yaml` as plots.yml.
    func message(_ yaml: String) -> String {
        do {
            _ = try PlotConfiguration.parse(yaml, file: "plots.yml")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("settings:\n  experiment: LHCb\n", "plots.yml:2: settings.experiment: 'LHCb' is not CMS, ATLAS or none"),
        ("settings:\n  lumi: 10\n", "plots.yml:2: settings.lumi: unknown key"),
        ("settings: {luminosity: ten}\n", "plots.yml:1: settings.luminosity: expected a number, not 'ten'"),
        ("groups:\n  DY:\n    colour: blue-ish\n", "plots.yml:3: groups.DY.colour: 'blue-ish' is not a colour"),
        ("groups:\n  DY:\n    type: background\n", "plots.yml:3: groups.DY.type: 'background' is not one of mc, data, signal"),
        ("groups:\n  DY: {stacked: true}\n", "plots.yml:2: groups.DY.stacked: only signal groups can choose stacking"),
        ("groups:\n  DY: {samples: []}\n", "plots.yml:2: groups.DY.samples: a group needs at least one sample"),
        ("plots:\n  mll:\n    rebin: 0\n", "plots.yml:3: plots.mll.rebin: expected a whole number ≥ 1, not '0'"),
        ("plots:\n  mll:\n    log: maybe\n", "plots.yml:3: plots.mll.log: expected true or false, not 'maybe'"),
        ("plots:\n  mll:\n    blind: [[95, 85]]\n", "plots.yml:3: plots.mll.blind: a blinded range needs LOW < HIGH"),
        ("plots:\n  mll:\n    blind: [[1, 2, 3]]\n", "plots.yml:3: plots.mll.blind: a blinded range is [LOW, HIGH]"),
        ("plots:\n  mll:\n    xtitle: m\n", "plots.yml:3: plots.mll.xtitle: unknown key (known: x-title"),
        ("plots: [mll]\n", "plots.yml:1: plots: expected a mapping"),
        ("style: CMS\n", "plots.yml:1: style: unknown key (known: settings, groups, plots)"),
        ("groups: {DY: {legend: [a}\n", "plots.yml: not valid YAML"),
    ])
    func errorsNameFileLineAndKey(yaml: String, expected: String) {
        let text = message(yaml)
        #expect(text.hasPrefix(expected), "\(text)")
    }

    @Test func loadNamesAMissingFile() {
        #expect(throws: KaonError.self) { try PlotConfiguration.load(path: "/nonexistent/plots.yml") }
    }
}
