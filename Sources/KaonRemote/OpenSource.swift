import KaonIO

/// The byte source for `location`: a local path, or a URL with a remote scheme
/// (``RemoteURL``). Every place that accepts a file path opens it through here, so that it
/// accepts URLs too.
public func openSource(_ location: String) throws -> any ByteSource {
    guard let url = RemoteURL(location) else { return try LocalFileSource(path: location) }
    switch url.transport {
    case .http:
        return try HTTPSource(location)
    case .xrootd:
        return try XRootDSource(location)
    }
}
