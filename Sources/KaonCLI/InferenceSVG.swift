import Foundation
import KaonHist
import KaonInference

/// SVG pictures of fit results: the pulls of the constrained parameters and the
/// nuisance-parameter ranking (impact bars on the POI with the pulls overlaid), in the
/// layout HEP fit tools use. Axis ticks and text escaping come from KaonHist's plotting.
enum InferenceSVG {
    private static let rowHeight = 22.0
    private static let labelWidth = 210.0
    private static let plotWidth = 420.0
    private static let top = 50.0

    private static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    private static func header(width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    }

    /// Vertical grid lines and tick labels of a horizontal axis at `y` (labels above when `above`).
    private static func axis(lo: Double, hi: Double, y: Double, bottom: Double, px: (Double) -> Double, label: String, above: Bool, color: String) -> String {
        let ticks = niceTicks(lo, hi, count: 6)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        var s = "<line x1=\"\(f(px(lo)))\" y1=\"\(f(y))\" x2=\"\(f(px(hi)))\" y2=\"\(f(y))\" stroke=\"\(color)\"/>\n"
        for t in ticks {
            let x = px(t)
            s += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x))\" y2=\"\(f(bottom))\" stroke=\"#dddddd\" stroke-width=\"0.5\"/>\n"
            s += "<text x=\"\(f(x))\" y=\"\(f(above ? y - 4 : y + 14))\" text-anchor=\"middle\" fill=\"\(color)\">\(xmlEscaped(tickLabel(t, step: step)))</text>\n"
        }
        let ly = above ? y - 20 : y + 30
        s += "<text x=\"\(f((px(lo) + px(hi)) / 2))\" y=\"\(f(ly))\" text-anchor=\"middle\" fill=\"\(color)\">\(xmlEscaped(label))</text>\n"
        return s
    }

    /// A pull (marker at the pull, bar of ± the post-fit/pre-fit width ratio) in row `k`.
    private static func pullMarker(pull: Double, width: Double, y: Double, px: (Double) -> Double) -> String {
        "<line x1=\"\(f(px(pull - width)))\" y1=\"\(f(y))\" x2=\"\(f(px(pull + width)))\" y2=\"\(f(y))\" stroke=\"black\" stroke-width=\"1.5\"/>\n"
            + "<circle cx=\"\(f(px(pull)))\" cy=\"\(f(y))\" r=\"3.5\" fill=\"black\"/>\n"
    }

    /// Pulls (θ̂ − θ₀)/σ₀ with bars σ̂/σ₀, one row per parameter, over ±1σ and ±2σ bands.
    static func pulls(_ pulls: [Pull], title: String) -> String {
        let span = max(3, (pulls.map { abs($0.pull) + $0.pullUncertainty }.max() ?? 0).rounded(.up))
        let height = top + Double(pulls.count) * rowHeight + 60
        let width = labelWidth + plotWidth + 30
        func px(_ v: Double) -> Double { labelWidth + (v + span) / (2 * span) * plotWidth }
        let bottom = top + Double(pulls.count) * rowHeight
        var s = header(width: width, height: height)
        s += "<text x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(xmlEscaped(title))</text>\n"
        s += "<rect x=\"\(f(px(-2)))\" y=\"\(f(top))\" width=\"\(f(px(2) - px(-2)))\" height=\"\(f(bottom - top))\" fill=\"#fff4a3\"/>\n"
        s += "<rect x=\"\(f(px(-1)))\" y=\"\(f(top))\" width=\"\(f(px(1) - px(-1)))\" height=\"\(f(bottom - top))\" fill=\"#a8e6a1\"/>\n"
        s += axis(lo: -span, hi: span, y: bottom, bottom: top, px: px, label: "(θ̂ − θ₀)/Δθ", above: false, color: "black")
        for (k, p) in pulls.enumerated() {
            let y = top + (Double(k) + 0.5) * rowHeight
            s += "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(xmlEscaped(p.name))</text>\n"
            s += pullMarker(pull: p.pull, width: p.pullUncertainty, y: y, px: px)
        }
        return s + "</svg>\n"
    }

    /// The ranking: pre-fit impacts as outlined bars, post-fit ones filled (up blue, down
    /// red) on the top axis (ΔPOI), and each parameter's pull on the bottom axis.
    static func ranking(_ entries: [RankingEntry], poi: String, title: String) -> String {
        let maxImpact = entries.flatMap { [$0.prefitUp, $0.prefitDown, $0.postfitUp, $0.postfitDown].map(abs) }.max() ?? 0
        let impactSpan = maxImpact > 0 ? maxImpact * 1.15 : 1
        let height = top + 30 + Double(entries.count) * rowHeight + 60
        let width = labelWidth + plotWidth + 30
        let rowsTop = top + 30
        let bottom = rowsTop + Double(entries.count) * rowHeight
        func ix(_ v: Double) -> Double { labelWidth + (v + impactSpan) / (2 * impactSpan) * plotWidth }
        func px(_ v: Double) -> Double { labelWidth + (v + 2) / 4 * plotWidth }
        var s = header(width: width, height: height)
        s += "<text x=\"\(f(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">\(xmlEscaped(title))</text>\n"
        s += axis(lo: -impactSpan, hi: impactSpan, y: rowsTop, bottom: bottom, px: ix, label: "Δ\(poi)", above: true, color: "#1f4e9c")
        s += axis(lo: -2, hi: 2, y: bottom, bottom: rowsTop, px: px, label: "(θ̂ − θ₀)/Δθ", above: false, color: "black")
        for (k, e) in entries.enumerated() {
            let y = rowsTop + Double(k) * rowHeight
            func bar(_ v: Double, inset: Double, style: String) -> String {
                let (a, b) = (ix(0), ix(v))
                return "<rect x=\"\(f(min(a, b)))\" y=\"\(f(y + inset))\" width=\"\(f(abs(b - a)))\" height=\"\(f(rowHeight - 2 * inset))\" \(style)/>\n"
            }
            s += "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + rowHeight / 2 + 4))\" text-anchor=\"end\">\(xmlEscaped(e.name))</text>\n"
            s += bar(e.prefitUp, inset: 3, style: "fill=\"none\" stroke=\"#4c72b0\"")
            s += bar(e.prefitDown, inset: 3, style: "fill=\"none\" stroke=\"#c44e52\"")
            s += bar(e.postfitUp, inset: 5, style: "fill=\"#4c72b0\" fill-opacity=\"0.75\"")
            s += bar(e.postfitDown, inset: 5, style: "fill=\"#c44e52\" fill-opacity=\"0.75\"")
            if e.prefitUncertainty > 0 {
                s += pullMarker(pull: e.pull, width: e.uncertainty / e.prefitUncertainty, y: y + rowHeight / 2, px: px)
            }
        }
        s += "<line x1=\"\(f(ix(0)))\" y1=\"\(f(rowsTop))\" x2=\"\(f(ix(0)))\" y2=\"\(f(bottom))\" stroke=\"#888888\" stroke-dasharray=\"3,3\"/>\n"
        return s + "</svg>\n"
    }
}
