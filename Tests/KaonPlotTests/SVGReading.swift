import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The elements of an SVG that carry `data-role`, read back through a real XML parser (which
/// also proves the document well-formed).
struct SVGReading {
    let document: XMLDocument

    init(_ svg: String) throws {
        document = try XMLDocument(xmlString: svg)
    }

    /// Every element with `data-role` equal to `role`, as its attribute dictionary.
    func elements(_ role: String) throws -> [[String: String]] {
        try document.nodes(forXPath: "//*[@data-role='\(role)']").compactMap { node in
            guard let element = node as? XMLElement else { return nil }
            var attributes: [String: String] = [:]
            for attribute in element.attributes ?? [] { attributes[attribute.name ?? ""] = attribute.stringValue ?? "" }
            attributes["#text"] = element.stringValue ?? ""
            return attributes
        }
    }

    /// An attribute of an element (read through `attributes`: `attribute(forName:)` misses
    /// attributes of elements in a default namespace in swift-corelibs-foundation).
    static func attribute(_ node: XMLNode?, _ name: String) -> String? {
        (node as? XMLElement)?.attributes?.first { $0.name == name }?.stringValue
    }

    func number(_ attributes: [String: String], _ key: String) -> Double { Double(attributes[key] ?? "") ?? .nan }
}
