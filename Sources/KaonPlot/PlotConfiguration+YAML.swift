import KaonIO
import Yams

extension PlotConfiguration {
    /// Reads a configuration from YAML text; `file` names it in errors, which all read
    /// `FILE:LINE: KEY: problem` (`plots.yml:7: groups.DY.colour: expected a colour …`).
    public static func parse(_ text: String, file: String) throws -> PlotConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw KaonError(.malformed, "\(file): not valid YAML: \(error)")
        }
        let reader = YAMLReader(file: file)
        var config = PlotConfiguration()
        guard let root else { return config }
        for (key, _, value) in try reader.mapping(root, path: "", known: ["settings", "groups", "plots"]) {
            switch key {
            case "settings": config.style = try reader.settings(value, cutFlow: &config.cutFlow)
            case "groups":
                for (name, nameNode, body) in try reader.mapping(value, path: "groups", known: nil) {
                    config.groups.append(try reader.group(name, body, at: nameNode))
                }
            default:
                for (pattern, _, body) in try reader.mapping(value, path: "plots", known: nil) {
                    config.plots.append(try reader.plot(pattern, body))
                }
            }
        }
        return config
    }

    /// Reads a configuration file.
    public static func load(path: String) throws -> PlotConfiguration {
        let source = try withContext(file: path) { try LocalFileSource(path: path) }
        let text = String(decoding: try source.read(at: 0, count: source.size), as: UTF8.self)
        return try parse(text, file: path)
    }
}

/// Walks Yams' node tree, naming the file, line and dotted key of every problem.
struct YAMLReader {
    let file: String

    func error(_ node: Node?, _ path: String, _ problem: String) -> KaonError {
        let line = node?.mark.map { ":\($0.line)" } ?? ""
        return KaonError(.malformed, "\(file)\(line): \(path.isEmpty ? "" : path + ": ")\(problem)")
    }

    /// The entries of a mapping in document order; `known` (when given) lists the keys it may have.
    func mapping(_ node: Node, path: String, known: [String]?) throws -> [(String, Node, Node)] {
        guard case .mapping(let mapping) = node else { throw error(node, path, "expected a mapping (KEY: VALUE lines)") }
        var out: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw error(key, path, "a key must be a string") }
            let full = path.isEmpty ? name : path + "." + name
            if let known, !known.contains(name) {
                throw error(key, full, "unknown key (known: \(known.joined(separator: ", ")))")
            }
            out.append((name, key, value))
        }
        return out
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, path, "expected a string") }
        return scalar.string
    }

    func number(_ node: Node, _ path: String) throws -> Double {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            throw error(node, path, "expected a number, not '\(node.string ?? "a list or mapping")'")
        }
        return value
    }

    func integer(_ node: Node, _ path: String, minimum: Int) throws -> Int {
        guard case .scalar = node, let value = node.int, value >= minimum else {
            throw error(node, path, "expected a whole number ≥ \(minimum), not '\(node.string ?? "a list or mapping")'")
        }
        return value
    }

    func bool(_ node: Node, _ path: String) throws -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw error(node, path, "expected true or false, not '\(node.string ?? "a list or mapping")'")
        }
        return value
    }

    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _: T.Type) throws -> T where T.RawValue == String {
        let text = try string(node, path)
        guard let value = T(rawValue: text) else {
            throw error(node, path, "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func list(_ node: Node, _ path: String) throws -> [Node] {
        if case .sequence(let sequence) = node { return Array(sequence) }
        throw error(node, path, "expected a list ([a, b] or '- ' lines)")
    }

    /// An SVG colour: #rgb, #rrggbb or a name (letters only).
    func colour(_ node: Node, _ path: String) throws -> String {
        let text = try string(node, path)
        let hex = text.hasPrefix("#") && [4, 7].contains(text.count) && text.dropFirst().allSatisfy(\.isHexDigit)
        let name = !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isLetter }
        guard hex || name else { throw error(node, path, "'\(text)' is not a colour (#rrggbb, #rgb or an SVG colour name)") }
        return text
    }

    func settings(_ node: Node, cutFlow: inout Bool) throws -> PlotStyle {
        let entries = try mapping(node, path: "settings", known: ["experiment", "label", "luminosity", "luminosity-unit", "energy", "cut-flow"])
        var style = PlotStyle.cms()
        if let (_, _, value) = entries.first(where: { $0.0 == "experiment" }) {
            let name = try string(value, "settings.experiment")
            guard let named = PlotStyle.named(name) else { throw error(value, "settings.experiment", "'\(name)' is not CMS, ATLAS or none") }
            style = named
        }
        for (key, _, value) in entries {
            let path = "settings." + key
            switch key {
            case "label": style.label = try string(value, path)
            case "luminosity": style.luminosity = try number(value, path)
            case "luminosity-unit":
                let unit = try string(value, path)
                guard ["fb", "pb", "nb"].contains(unit) else { throw error(value, path, "'\(unit)' is not fb, pb or nb") }
                style.luminosityUnit = unit
            case "energy": style.energy = try number(value, path)
            case "cut-flow": cutFlow = try bool(value, path)
            default: break
            }
        }
        return style
    }

    func group(_ name: String, _ node: Node, at nameNode: Node) throws -> PlotConfiguration.Group {
        var group = PlotConfiguration.Group(name: name)
        let base = "groups." + name
        for (key, _, value) in try mapping(node, path: base, known: ["legend", "colour", "color", "order", "type", "samples", "stacked"]) {
            let path = base + "." + key
            switch key {
            case "legend": group.legend = try string(value, path)
            case "colour", "color": group.colour = try colour(value, path)
            case "order": group.order = try integer(value, path, minimum: Int.min)
            case "type": group.type = try choice(value, path, PlotConfiguration.GroupType.self)
            case "samples":
                group.samples = try list(value, path).map { try string($0, path) }
                if group.samples.isEmpty { throw error(value, path, "a group needs at least one sample") }
            default: group.stacked = try bool(value, path)
            }
        }
        if group.stacked && group.type != .signal { throw error(nameNode, base + ".stacked", "only signal groups can choose stacking") }
        return group
    }

    func plot(_ pattern: String, _ node: Node) throws -> PlotConfiguration.Plot {
        var plot = PlotConfiguration.Plot(pattern: pattern)
        let base = "plots." + pattern
        if case .scalar(let scalar) = node, scalar.string.isEmpty || node.null != nil { return plot }  // `mll:` alone
        for (key, _, value) in try mapping(node, path: base, known: ["x-title", "y-title", "rebin", "log", "ratio", "blind", "normalize"]) {
            let path = base + "." + key
            switch key {
            case "x-title": plot.xTitle = try string(value, path)
            case "y-title": plot.yTitle = try string(value, path)
            case "rebin": plot.rebin = try integer(value, path, minimum: 1)
            case "log": plot.log = try bool(value, path)
            case "ratio": plot.ratio = try bool(value, path)
            case "normalize": plot.normalisation = try choice(value, path, PlotConfiguration.Normalisation.self)
            default:
                var ranges = try list(value, path)
                // One range may be written without the outer list: blind: [80, 100].
                if ranges.count == 2, case .scalar = ranges[0] { ranges = [value] }
                plot.blinded = try ranges.map { range in
                    let bounds = try list(range, path)
                    guard bounds.count == 2 else { throw error(range, path, "a blinded range is [LOW, HIGH]") }
                    let lo = try number(bounds[0], path), hi = try number(bounds[1], path)
                    guard lo < hi else { throw error(range, path, "a blinded range needs LOW < HIGH, not [\(lo), \(hi)]") }
                    return lo...hi
                }
            }
        }
        return plot
    }
}
