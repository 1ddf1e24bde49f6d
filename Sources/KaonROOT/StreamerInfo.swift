/// One member of a class description (a TStreamerElement or one of its subclasses).
public struct StreamerElement: Sendable, Equatable {
    /// The streamer class this element was stored as (`TStreamerBase`, `TStreamerBasicType`, …).
    public var kind: String
    public var name: String
    public var title: String
    /// ROOT's type code (see `StreamerType`).
    public var type: Int
    public var size: Int
    public var arrayLength: Int
    public var arrayDimension: Int
    public var maxIndex: [Int]
    public var typeName: String
    /// For `TStreamerBase`: the base class version.
    public var baseVersion: Int = 0
    /// For pointer arrays and loops: the member holding the element count.
    public var countName: String = ""
    public var countClass: String = ""
    /// For STL members: the container kind (1 vector, 2 list, …) and the element type code.
    public var stlType: Int = 0
    public var contentType: Int = 0
}

/// A class description (TStreamerInfo): the members ROOT streams for one class version.
public struct StreamerInfo: Sendable, Equatable {
    public var className: String
    public var checksum: UInt32
    public var classVersion: Int
    public var elements: [StreamerElement]
}

/// ROOT's streamer type codes (`TVirtualStreamerInfo::EReadWrite`).
public enum StreamerType {
    public static let base = 0
    public static let char = 1, short = 2, int = 3, long = 4, float = 5, counter = 6
    public static let charStar = 7
    public static let double = 8, double32 = 9
    public static let legacyChar = 10
    public static let uchar = 11, ushort = 12, uint = 13, ulong = 14, bits = 15
    public static let long64 = 16, ulong64 = 17, bool = 18, float16 = 19
    public static let offsetFixedArray = 20
    public static let offsetPointer = 40
    public static let object = 61, any = 62, objectPointer = 63, objectPointerNoNull = 64
    public static let tString = 65, tObject = 66, tNamed = 67
    public static let anyPointer = 68, anyPointerNoNull = 69
    public static let stl = 300, stlString = 365, streamer = 500, streamLoop = 501
}
