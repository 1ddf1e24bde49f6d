import Foundation
import KaonIO

/// An RFC 6902 JSON patch: the `add`, `replace`, `remove`, `move`, `copy` and `test`
/// operations, which pyhf patchsets use to turn a background-only workspace into a signal
/// hypothesis.
///
/// Paths are RFC 6901 JSON pointers (`/channels/0/samples/-` appends; `~1` is `/`, `~0` is `~`).
///
/// ```swift
/// let patch = try JSONPatch(text: #"[{"op": "replace", "path": "/version", "value": "1.0.0"}]"#)
/// let patched = try patch.apply(to: workspaceJSON)
/// ```
public struct JSONPatch: Sendable {
    /// One operation.
    public struct Operation: Sendable {
        /// `add`, `replace`, `remove`, `move`, `copy` or `test`.
        public var op: String
        /// The target as a JSON pointer.
        public var path: String
        /// The value for `add`, `replace` and `test`.
        public var value: JSONValue?
        /// The source location for `move` and `copy`.
        public var from: String?
    }

    /// The operations, applied in order.
    public var operations: [Operation]

    /// Reads a patch: a JSON array of operations. A pyhf patchset file with exactly one
    /// patch (`{"patches": [{"patch": [...]}]}`) is accepted too; with several, use
    /// ``init(json:patchName:)``.
    public init(text: String) throws {
        try self.init(json: try JSONValue.parse(text))
    }

    /// Reads a patch from a parsed document; `patchName` picks one patch of a pyhf patchset
    /// by its `metadata.name`.
    public init(json: JSONValue, patchName: String? = nil) throws {
        var list = json
        if let patches = json["patches"]?.array {
            let chosen: JSONValue?
            if let patchName {
                chosen = patches.first { $0["metadata"]?["name"]?.string == patchName }
            } else {
                chosen = patches.count == 1 ? patches[0] : nil
            }
            guard let chosen, let inner = chosen["patch"] else {
                throw KaonError(.notFound, "patchset: name a patch (\(patches.compactMap { $0["metadata"]?["name"]?.string }.prefix(5).joined(separator: ", "))…)")
            }
            list = inner
        }
        guard let items = list.array else { throw KaonError(.malformed, "JSON patch: expected an array of operations") }
        operations = try items.enumerated().map { i, item in
            guard let op = item["op"]?.string, let path = item["path"]?.string else {
                throw KaonError(.malformed, "JSON patch /\(i): an operation needs string 'op' and 'path'")
            }
            guard ["add", "replace", "remove", "test", "move", "copy"].contains(op) else {
                throw KaonError(.unsupported, "JSON patch /\(i): operation '\(op)' is not supported (add, replace, remove, move, copy, test)")
            }
            if ["move", "copy"].contains(op) {
                guard item["from"]?.string != nil else { throw KaonError(.malformed, "JSON patch /\(i): '\(op)' needs a string 'from'") }
            } else if op != "remove" && item["value"] == nil {
                throw KaonError(.malformed, "JSON patch /\(i): '\(op)' needs a 'value'")
            }
            return Operation(op: op, path: path, value: item["value"], from: item["from"]?.string)
        }
    }

    /// The document with every operation applied; a failing operation names its index and path.
    public func apply(to document: JSONValue) throws -> JSONValue {
        var doc = document
        for (i, operation) in operations.enumerated() {
            do {
                let tokens = try Self.tokens(operation.path)
                switch operation.op {
                case "test":
                    guard Self.lookup(doc, tokens) == operation.value else { throw KaonError(.malformed, "test failed") }
                case "move", "copy":
                    // Both read the value at `from` and add it at `path`; move removes it first.
                    let source = try Self.tokens(operation.from ?? "")
                    guard let value = Self.lookup(doc, source) else { throw KaonError(.notFound, "nothing at 'from' \(operation.from ?? "")") }
                    if operation.op == "move" {
                        if source == tokens { continue }
                        guard !(tokens.count > source.count && Array(tokens.prefix(source.count)) == source) else {
                            throw KaonError(.malformed, "cannot move a value into itself")
                        }
                        doc = try Self.modify(doc, source[...], Operation(op: "remove", path: operation.from ?? "", value: nil))
                    }
                    doc = try Self.modify(doc, tokens[...], Operation(op: "add", path: operation.path, value: value))
                default:
                    doc = try Self.modify(doc, tokens[...], operation)
                }
            } catch let error as KaonError {
                throw KaonError(error.kind, "JSON patch /\(i) (\(operation.op) \(operation.path)): \(error.message)")
            }
        }
        return doc
    }

    static func tokens(_ pointer: String) throws -> [String] {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { throw KaonError(.malformed, "a JSON pointer starts with '/'") }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func lookup(_ value: JSONValue, _ tokens: [String]) -> JSONValue? {
        var v: JSONValue? = value
        for t in tokens {
            if case .array = v { v = Int(t).flatMap { v?[$0] } } else { v = v?[t] }
        }
        return v
    }

    // Recursion rebuilds the path to the target (JSONValue is a value type, and documents
    // are small compared with the fits that follow).
    static func modify(_ value: JSONValue, _ tokens: ArraySlice<String>, _ operation: Operation) throws -> JSONValue {
        guard let token = tokens.first else {
            // Only reached for the root pointer "".
            guard operation.op != "remove", let v = operation.value else { throw KaonError(.malformed, "cannot remove the document") }
            return v
        }
        let last = tokens.count == 1
        switch value {
        case .object(var members):
            let index = members.firstIndex { $0.0 == token }
            if last {
                switch operation.op {
                case "add":
                    if let index { members[index].1 = operation.value! } else { members.append((token, operation.value!)) }
                case "replace":
                    guard let index else { throw KaonError(.notFound, "no member '\(token)' to replace") }
                    members[index].1 = operation.value!
                default:
                    guard let index else { throw KaonError(.notFound, "no member '\(token)' to remove") }
                    members.remove(at: index)
                }
            } else {
                guard let index else { throw KaonError(.notFound, "no member '\(token)'") }
                members[index].1 = try modify(members[index].1, tokens.dropFirst(), operation)
            }
            return .object(members)
        case .array(var items):
            if last && operation.op == "add" && token == "-" {
                items.append(operation.value!)
                return .array(items)
            }
            guard let i = Int(token), i >= 0, i < items.count || (last && operation.op == "add" && i == items.count) else {
                throw KaonError(.notFound, "array index '\(token)' out of range (count \(items.count))")
            }
            if last {
                switch operation.op {
                case "add": items.insert(operation.value!, at: i)
                case "replace": items[i] = operation.value!
                default: items.remove(at: i)
                }
            } else {
                items[i] = try modify(items[i], tokens.dropFirst(), operation)
            }
            return .array(items)
        default:
            throw KaonError(.malformed, "'\(token)' indexes into a scalar")
        }
    }
}
