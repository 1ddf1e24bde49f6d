/// The measurement's parameter of interest is not a parameter of the model: no sample has a
/// modifier of that name.
///
/// The usual cause is a background-only workspace (pyhf's `BkgOnly.json`), whose signal, and
/// the normfactor that is the POI, come with a patch. A typed error rather than a message, so
/// that a caller that knows how patches are given (the CLI's `--patch`) can say what to do.
public struct POINotInModel: Error, CustomStringConvertible, Sendable, Equatable {
    /// The measurement asked for.
    public let measurement: String
    /// The POI it names.
    public let poi: String

    public init(measurement: String, poi: String) {
        self.measurement = measurement
        self.poi = poi
    }

    public var description: String {
        "measurement '\(measurement)': the POI '\(poi)' is not a parameter of the model (no sample has a modifier of that name; a background-only workspace needs its signal patch)"
    }
}
