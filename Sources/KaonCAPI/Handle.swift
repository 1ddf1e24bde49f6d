/// Swift objects handed to C as opaque pointers: `retained` gives the caller one reference,
/// which it gives back to the matching `kaon_*_free`; `borrow` reads the object behind a
/// pointer the caller still owns.
enum Handle {
    static func retained(_ object: AnyObject) -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(object).toOpaque()
    }

    static func borrow<T: AnyObject>(_ pointer: UnsafeMutableRawPointer, as _: T.Type) -> T {
        Unmanaged<T>.fromOpaque(pointer).takeUnretainedValue()
    }

    static func release(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        Unmanaged<AnyObject>.fromOpaque(pointer).release()
    }
}
