import ArgumentParser
import KaonEngine

/// `--metrics FILE` and `--metrics-format`: where a command writes its ``RunMetrics``.
struct MetricsOption: ParsableArguments {
    @Option(name: .customLong("metrics"), help: ArgumentHelp("Write the run's metrics (per work item and totals) to FILE: JSON, or OpenMetrics text when FILE ends in .prom.", valueName: "file"))
    var path: String?

    @Option(name: .customLong("metrics-format"), help: "Format of --metrics: json or openmetrics (default: from the file name).")
    var format: RunMetricsFormat?

    func validate() throws {
        if format != nil, path == nil { throw ValidationError("--metrics-format needs --metrics FILE") }
    }

    /// Writes `metrics` when asked to; returns the path written, if any.
    @discardableResult
    func write(_ metrics: @autoclosure () -> RunMetrics) throws -> String? {
        guard let path else { return nil }
        try metrics().write(to: path, format: format)
        return path
    }
}

extension RunMetricsFormat: ExpressibleByArgument {}
