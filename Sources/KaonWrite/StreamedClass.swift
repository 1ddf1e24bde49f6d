/// The class of a branch whose entries are whole objects in ROOT's streamed form, and how
/// ROOT's TBranchElement describes it.
///
/// Kaon copies such branches (`std::map<int, short>`, `std::set<std::string>`,
/// `std::vector<std::vector<std::string>>`, …) entry by entry as ROOT serialized them; the
/// description comes from the branch being copied, so the new branch reads back the same.
///
/// ```swift
/// let mapClass = StreamedClass(className: "map<int,short>", checksum: 2960535473, classVersion: 6)
/// let spec = BranchSpec("m", .streamed(mapClass))
/// ```
public struct StreamedClass: Sendable, Equatable {
    /// The C++ class name as ROOT spells it (`map<int,vector<short> >`).
    public var className: String
    /// ROOT's class checksum (TBranchElement fCheckSum).
    public var checksum: UInt32
    /// The class version (fClassVersion; 6 for STL collections in ROOT 6).
    public var classVersion: Int
    /// TBranchElement fType: 0 for a top-level object; ROOT gives -1 to `std::string`.
    public var elementType: Int
    /// TBranchElement fStreamerType: -1 for a whole object.
    public var streamerType: Int
    /// fSplitLevel as ROOT recorded it (maps are not split; vectors get 99).
    public var splitLevel: Int

    /// A class described by its name, checksum and version, as a top-level whole object.
    public init(className: String, checksum: UInt32, classVersion: Int, elementType: Int = 0,
                streamerType: Int = -1, splitLevel: Int = 0) {
        self.className = className
        self.checksum = checksum
        self.classVersion = classVersion
        self.elementType = elementType
        self.streamerType = streamerType
        self.splitLevel = splitLevel
    }
}
