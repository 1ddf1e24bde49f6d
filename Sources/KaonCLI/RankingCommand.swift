import ArgumentParser
import Foundation
import KaonInference
import KaonIO
import KaonPlot

/// `kaon ranking WS.json`: the nuisance parameters ranked by their impact on the POI.
struct RankingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ranking",
        abstract: "Rank the nuisance parameters of a pyhf workspace by their impact on the POI.",
        usage: "kaon ranking <workspace> [--patch <patch> ...] [--top <n>] [<options>]",
        discussion: """
        After the maximum-likelihood fit, each free parameter other than the POI is held at \
        θ̂ ± σ₀ (pre-fit width of its constraint; skipped for unconstrained parameters) and \
        at θ̂ ± σ̂ (post-fit uncertainty from the Hessian) while the others are refitted; the \
        POI's shift is its impact (cabinetry's `fit.ranking` convention). Rows are sorted by \
        the larger post-fit impact and show the pull (θ̂ − θ₀)/σ₀ and σ̂/σ₀. Parameters held \
        by --fix stay constant in every fit and are not ranked.

        With --json prints {"poi", "poi_value", "poi_uncertainty", "parameters": [{"name", \
        "value", "uncertainty", "prefit_uncertainty", "nominal", "pull", "prefit_up", \
        "prefit_down", "postfit_up", "postfit_down"}]} instead of the table (every \
        parameter, whatever --top); --svg draws the impacts with the pulls.

        Examples:
          kaon ranking BkgOnly.json --patch patch.sbottom_1300_205_60.json --top 10
          kaon ranking ws.json --json --svg ranking.svg > ranking.json
        """
    )

    @OptionGroup var input: WorkspaceOptions

    @Option(name: .long, help: "Show (and draw) only the N highest-ranked parameters (N ≥ 1).")
    var top: Int?

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    @Option(name: .long, help: "Write an SVG of the impacts and pulls to this file.")
    var svg: String?

    /// The workspace as `validate()` loaded it (see ``LoadedWorkspace``).
    var loaded: LoadedWorkspace?

    enum CodingKeys: CodingKey { case input, top, json, svg }

    mutating func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1, got \(top)") }
        loaded = try input.load()
    }

    func run() throws {
        let loaded = try self.loaded ?? input.load()
        let (model, data) = (loaded.model, loaded.data)
        let ranking = try model.ranking(data: data)
        let shown = top.map { Array(ranking.entries.prefix($0)) } ?? ranking.entries
        let poi = model.parameterNames[model.poiIndex]
        func number(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }
        let document = JSONValue.object([
            ("poi", .string(poi)), ("poi_value", .number(ranking.fit.parameters[model.poiIndex])),
            ("poi_uncertainty", .number(ranking.fit.uncertainties[model.poiIndex])),
            ("parameters", .array(ranking.entries.map { e in
                .object([
                    ("name", .string(e.name)), ("value", .number(e.value)), ("uncertainty", .number(e.uncertainty)),
                    ("prefit_uncertainty", .number(e.prefitUncertainty)), ("nominal", .number(e.nominal)), ("pull", number(e.pull)),
                    ("prefit_up", .number(e.prefitUp)), ("prefit_down", .number(e.prefitDown)),
                    ("postfit_up", .number(e.postfitUp)), ("postfit_down", .number(e.postfitDown)),
                ])
            })),
        ])
        if let svg {
            let title = "Impact on \(poi) (\(poi) = \(HumanFormat.number(ranking.fit.parameters[model.poiIndex], digits: 4)))"
            try OutputFile.write(InferencePlots.ranking(shown, poi: poi, title: title), to: svg)
        }
        if json {
            print(document.text)
            return
        }
        let width = max(9, shown.map(\.name.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func g(_ x: Double) -> String { pad(x.isFinite ? (x >= 0 ? "+" : "") + HumanFormat.fixed(x, decimals: 4) : "—", 10) }
        print("\(poi) = \(HumanFormat.measurement(ranking.fit.parameters[model.poiIndex], uncertainty: ranking.fit.uncertainties[model.poiIndex]))")
        print(pad("parameter", width) + "  " + ["pull", "σ̂/σ₀", "post up", "post down", "pre up", "pre down"].map { pad($0, 10) }.joined(separator: " "))
        for e in shown {
            let ratio = e.prefitUncertainty > 0 ? e.uncertainty / e.prefitUncertainty : .nan
            let ratioText = pad(ratio.isFinite ? HumanFormat.fixed(ratio, decimals: 4) : "—", 10)
            print(pad(e.name, width) + "  " + ([g(e.pull), ratioText] + [e.postfitUp, e.postfitDown, e.prefitUp, e.prefitDown].map(g)).joined(separator: " "))
        }
    }
}
