import Synchronization

/// A small pool of reusable codec states (zstd contexts, libdeflate (de)compressors).
///
/// Creating such a state allocates and initialises up to a few MB; doing it for every
/// basket dominated profiles of reading and writing. A state is lent to one call at a time
/// and returned afterwards, so concurrent workers never share one.
final class ContextPool<Context: AnyObject & Sendable>: Sendable {
    private let contexts = Mutex<[Context]>([])
    private let make: @Sendable () -> Context?

    init(_ make: @escaping @Sendable () -> Context?) {
        self.make = make
    }

    /// Runs `body` with a pooled context (or a new one), then returns it to the pool.
    func with<T>(_ body: (Context) throws -> T) throws -> T {
        let lent = contexts.withLock { $0.popLast() }
        guard let context = lent ?? make() else {
            throw KaonError(.system, "out of memory creating a compression context")
        }
        defer { contexts.withLock { $0.append(context) } }
        return try body(context)
    }
}
