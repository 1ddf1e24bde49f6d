import Foundation

/// The look of a figure, after mplhep's experiment styles: figure size, where the axes sit,
/// fonts and sizes, tick lengths (ticks point inwards on all four sides), the colour cycle,
/// and the experiment label ("CMS Open Data" above the axes, "ATLAS Preliminary" inside)
/// with the luminosity and √s.
///
/// Sizes are in points, as matplotlib's SVG output is (one SVG unit per point): CMS figures
/// are 10 × 10 in (720 × 720), ATLAS ones 8 × 6 in.
public struct PlotStyle: Sendable, Equatable {
    /// Which collaboration's conventions to follow.
    public enum Experiment: String, Sendable, CaseIterable {
        case cms = "CMS", atlas = "ATLAS", none
    }

    public var experiment: Experiment
    /// The words after the experiment name ("Open Data", "Preliminary", "Simulation").
    public var label: String
    /// Integrated luminosity, in `luminosityUnit`⁻¹ (nil: not shown).
    public var luminosity: Double?
    /// "fb" or "pb".
    public var luminosityUnit: String
    /// The centre-of-mass energy √s in TeV (nil: not shown).
    public var energy: Double?

    public var width: Double, height: Double
    /// The axes' edges as fractions of the figure (matplotlib's `figure.subplot.*`).
    public var left: Double, right: Double, bottom: Double, top: Double
    public var fontFamily: String
    /// The base font size (axis titles); tick labels and legend are smaller.
    public var fontSize: Double
    public var tickLabelSize: Double, legendSize: Double
    public var majorTick: Double, minorTick: Double
    public var axisLineWidth: Double
    /// Colours given to groups without one, in order.
    public var palette: [String]

    /// CMS, as `mplhep.style.CMS`: 10 × 10 in, 26 pt text, the CMS colour cycle.
    public static func cms(label: String = "Open Data", luminosity: Double? = nil, luminosityUnit: String = "fb",
                           energy: Double? = 13) -> PlotStyle {
        PlotStyle(experiment: .cms, label: label, luminosity: luminosity, luminosityUnit: luminosityUnit, energy: energy,
                  width: 720, height: 720, left: 0.125, right: 0.9, bottom: 0.11, top: 0.88,
                  fontFamily: "TeX Gyre Heros, Helvetica, Arial, DejaVu Sans, sans-serif",
                  fontSize: 26, tickLabelSize: 26 * 0.833, legendSize: 26 * 0.833, majorTick: 12, minorTick: 6,
                  axisLineWidth: 2,
                  palette: ["#5790fc", "#f89c20", "#e42536", "#964a8b", "#9c9ca1", "#7a21dd", "#86c8dd", "#b9ac70"])
    }

    /// ATLAS, as `mplhep.style.ATLAS`: 8 × 6 in, 14 pt text, the ATLAS colour cycle.
    public static func atlas(label: String = "Preliminary", luminosity: Double? = nil, luminosityUnit: String = "fb",
                             energy: Double? = 13) -> PlotStyle {
        PlotStyle(experiment: .atlas, label: label, luminosity: luminosity, luminosityUnit: luminosityUnit, energy: energy,
                  width: 576, height: 432, left: 0.16, right: 0.95, bottom: 0.16, top: 0.93,
                  fontFamily: "TeX Gyre Heros, Helvetica, Arial, DejaVu Sans, sans-serif",
                  fontSize: 14 * 1.44, tickLabelSize: 14 * 1.2, legendSize: 14, majorTick: 14, minorTick: 7,
                  axisLineWidth: 1,
                  palette: ["#d55e00", "#56b4e9", "#e69f00", "#f0e442", "#009e73", "#cc79a7", "#0072b2"])
    }

    /// The CMS geometry without an experiment label.
    public static func plain() -> PlotStyle {
        var style = cms(label: "", energy: nil)
        style.experiment = .none
        return style
    }

    /// The style for an experiment name ("CMS", "ATLAS", "none"; case does not matter).
    public static func named(_ name: String) -> PlotStyle? {
        switch name.lowercased() {
        case "cms": cms()
        case "atlas": atlas()
        case "none", "": plain()
        default: nil
        }
    }

    /// "10 fb⁻¹ (13 TeV)" (CMS) — the text at the top right.
    var luminosityText: String {
        var parts: [String] = []
        if let luminosity { parts.append("\(Self.number(luminosity)) \(luminosityUnit)⁻¹") }
        if let energy { parts.append(experiment == .atlas ? "√s = \(Self.number(energy)) TeV" : "(\(Self.number(energy)) TeV)") }
        return experiment == .atlas ? parts.reversed().joined(separator: ", ") : parts.joined(separator: " ")
    }

    /// A number without a trailing ".0" and with at most three decimals.
    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.3f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// An estimate of the width of `text` at `size` points. A text-free SVG writer has no
    /// font metrics; these per-character widths (in em) are DejaVu Sans', the widest of the
    /// fonts the figures name, so boxes placed with them are never too small.
    static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        var em = 0.0
        for c in text {
            switch c {
            case " ", "i", "j", "l", "I", ".", ",", ":", ";", "'", "|", "!": em += 0.3
            case "f", "t", "r", "(", ")", "[", "]", "/", "-": em += 0.4
            case "m", "w", "M", "W", "⊕": em += 0.9
            case "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁻": em += 0.42
            case _ where c.isUppercase: em += 0.72
            case _ where c.isNumber: em += 0.64
            default: em += 0.6
            }
        }
        return em * size * (bold ? 1.12 : 1)
    }
}
