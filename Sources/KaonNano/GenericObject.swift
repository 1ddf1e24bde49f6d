/// An object of any collection, its fields read by name: the view for trees that are not
/// NanoAOD, or NanoAOD collections without a typed view (`SV`, `FsrPhoton`, …).
///
/// ```swift
/// for sv in event.collection("SV") where sv["dlenSig", as: Float.self] > 4 {
///     let mass = sv.value("mass", as: Float.self)
/// }
/// ```
public struct GenericObject: NanoObject {
    /// Overridden by the prefix given to ``Event/collection(_:counter:)``.
    public static let defaultPrefix = ""
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }
}

/// A one-per-event group of `Prefix_*` branches read by name (``Event/singleton(_:)``).
///
/// ```swift
/// let nTrueInt = event.singleton("Pileup")["nTrueInt", as: Float.self]
/// ```
public struct GenericSingleton: NanoObject {
    /// Overridden by the prefix given to ``Event/singleton(_:)``.
    public static let defaultPrefix = ""
    /// One per event.
    public static var kind: ObjectKind { .singleton }
    /// Where the values are.
    public let handle: ObjectHandle
    /// Wraps a handle.
    @inlinable public init(handle: ObjectHandle) { self.handle = handle }
}
