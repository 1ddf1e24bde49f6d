import KaonIO

/// The class descriptions a file carries, looked up by class name (and version).
public final class StreamerRegistry: Sendable {
    /// Descriptions by class name; when several versions are stored, each is kept.
    public let infos: [String: [StreamerInfo]]

    public init(_ list: [StreamerInfo]) {
        var byName: [String: [StreamerInfo]] = [:]
        for info in list { byName[info.className, default: []].append(info) }
        infos = byName
    }

    /// The description of `className`, preferring the given version.
    public func info(for className: String, version: Int? = nil) -> StreamerInfo? {
        guard let candidates = infos[className] else { return nil }
        if let version, let exact = candidates.first(where: { $0.classVersion == version }) { return exact }
        return candidates.last
    }

    /// Every description, sorted by class name.
    public var all: [StreamerInfo] {
        infos.keys.sorted().flatMap { infos[$0]! }
    }

    /// Reads the StreamerInfo list a file header points to. An empty or absent list gives
    /// an empty registry (uproot writes none for some files), not an error.
    static func load(from source: any ByteSource, header: FileHeader) throws -> StreamerRegistry {
        guard header.seekInfo > 0, header.nbytesInfo > 0 else { return StreamerRegistry([]) }
        let key = try ROOTFile.readKey(from: source, at: header.seekInfo)
        let bytes = try ROOTFile.payload(of: key, from: source)
        var reader = ObjectReader(streamers: StreamerRegistry([]), cursor: ByteCursor(bytes, origin: key.keyLength))
        let list = try reader.readObject(className: "TList")
        var infos: [StreamerInfo] = []
        for item in list.list("items") {
            guard let object = item.objectValue, object.className == "TStreamerInfo" else { continue }
            infos.append(try StreamerInfo(object))
        }
        return StreamerRegistry(infos)
    }
}

extension StreamerInfo {
    /// Builds a description from a deserialised TStreamerInfo object.
    init(_ object: ROOTObject) throws {
        className = object.string("fName") ?? ""
        checksum = UInt32(truncatingIfNeeded: object.int("fCheckSum") ?? 0)
        classVersion = object.int("fClassVersion") ?? 0
        elements = object.list("fElements").compactMap { value -> StreamerElement? in
            guard let element = value.objectValue else { return nil }
            return StreamerElement(element)
        }
    }
}

extension StreamerElement {
    init(_ object: ROOTObject) {
        kind = object.className
        name = object.string("fName") ?? ""
        title = object.string("fTitle") ?? ""
        type = object.int("fType") ?? -1
        size = object.int("fSize") ?? 0
        arrayLength = object.int("fArrayLength") ?? 0
        arrayDimension = object.int("fArrayDim") ?? 0
        maxIndex = (object["fMaxIndex"]?.integersValue ?? []).map { Int($0) }
        typeName = object.string("fTypeName") ?? ""
        baseVersion = object.int("fBaseVersion") ?? 0
        countName = object.string("fCountName") ?? ""
        countClass = object.string("fCountClass") ?? ""
        stlType = object.int("fSTLtype") ?? 0
        contentType = object.int("fCtype") ?? 0
    }
}
