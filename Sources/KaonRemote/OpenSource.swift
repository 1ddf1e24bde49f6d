import KaonIO

/// The byte source for `location`: a local path, or a URL with a remote scheme
/// (``RemoteURL``). Every place that accepts a file path opens it through here, so that it
/// accepts URLs too.
///
/// A remote source reads the file's first and last bytes as it opens (``OpeningRead``), as
/// many as `KAON_OPENING_READ` says when it is set (`HEAD,TAIL` in bytes; `0,0` reads
/// nothing ahead).
public func openSource(_ location: String) throws -> any ByteSource {
    guard let url = RemoteURL(location) else { return try LocalFileSource(path: location) }
    let opening = try OpeningRead.fromEnvironment()
    switch url.transport {
    case .http:
        var configuration = HTTPConfiguration.fromEnvironment()
        configuration.opening = opening
        return try HTTPSource(location, configuration: configuration)
    case .xrootd:
        return try XRootDSource(location, opening: opening)
    }
}
