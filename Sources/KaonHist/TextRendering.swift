import KaonIO

/// Terminal rendering of one-dimensional histograms.
extension Histogram {
    /// A text picture of a 1D histogram: one line per bin with its edges (or category),
    /// its value (± error when variances differ from values) and a bar scaled to the
    /// largest value, fitting in `width` columns. Flow bins are shown when `flow` is set
    /// and the axis has them. Negative values draw no bar.
    ///
    /// ```swift
    /// print(h.textPlot(width: 60))
    /// // [0, 0.25)  12 ██████████████████████
    /// // [0.25, 0.5) 3 █████▌
    /// ```
    public func textPlot(width: Int = 80, flow: Bool = false) -> String {
        guard axes.count == 1 else { return "(text plots need a 1D histogram; this one has \(axes.count) axes)" }
        let axis = axes[0]
        var rows: [(label: String, value: Double, text: String)] = []
        let lo = flow ? -axis.flowShift : 0
        let hi = flow && axis.traits.overflow ? axis.size + 1 : axis.size
        let showErrors = !S.variancesFromValues
        let labels = axis.binLabels(lo..<hi)
        for i in lo..<hi {
            let cell = self[i]
            let v = S.value(cell)
            var text = formatValue(v)
            if showErrors {
                let e = S.variance(cell)
                text += e.isNaN ? " ± nan" : " ± " + formatValue(e.squareRoot())
            }
            rows.append((labels[i - lo], v, text))
        }
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let textWidth = rows.map(\.text.count).max() ?? 0
        let barWidth = Swift.max(1, width - labelWidth - textWidth - 2)
        let maxValue = rows.map(\.value).filter(\.isFinite).max() ?? 0
        var title = metadata.label.isEmpty ? metadata.name : metadata.label
        if title.isEmpty { title = axis.metadata.displayLabel }
        var lines: [String] = title.isEmpty ? [] : [String(title.prefix(width))]
        for row in rows {
            let label = row.label + String(repeating: " ", count: labelWidth - row.label.count)
            let number = String(repeating: " ", count: textWidth - row.text.count) + row.text
            lines.append(label + " " + number + " " + bar(row.value, maxValue, barWidth))
        }
        return lines.joined(separator: "\n")
    }

    /// A bar in eighth-block resolution so small differences remain visible.
    func bar(_ v: Double, _ maxValue: Double, _ width: Int) -> String {
        guard maxValue > 0, v > 0, v.isFinite else { return "" }
        let eighths = Int((v / maxValue * Double(width) * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }

    /// Bin contents for the terminal: whole numbers as integers, others to 4 significant
    /// digits (narrow columns, still readable), never binary noise.
    func formatValue(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e12 { return String(Int64(v)) }
        return HumanFormat.number(v, digits: 4)
    }
}

extension Double {
    /// ⌊log10(|x|)⌋ for a positive finite value.
    var log10Floor: Double {
        var e = 0.0, m = self
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return e
    }

    /// Fixed-point text with `decimals` digits after the point (``HumanFormat/fixed(_:decimals:)``).
    func formatted(decimals: Int) -> String { HumanFormat.fixed(self, decimals: decimals) }
}
