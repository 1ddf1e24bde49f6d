import KaonIO

/// The header of a TKey as KaonWrite writes it.
///
/// Keys whose position is past ROOT's `kStartBigFile` (2 000 000 000) use version 1004 with
/// 8-byte seeks; others the classic version 4 with 4-byte seeks, which is what ROOT writes
/// for them too (so small files stay byte-compatible with old readers).
struct KeyHeader {
    var totalBytes: Int
    var objectLength: Int
    var datime: UInt32
    var cycle: Int
    var seekKey: Int
    var seekParent: Int
    var className: String
    var name: String
    var title: String
    /// Bytes counted in fKeylen after the strings (the 19-byte TBasket header).
    var extraLength = 0

    /// ROOT's `TFile::kStartBigFile`: past it, seeks need 8 bytes.
    static let startBigFile = 2_000_000_000

    /// Whether a key at `seek` needs 64-bit seeks.
    static func isBig(seek: Int) -> Bool { seek > startBigFile }

    /// Whether this key uses 64-bit seeks (its own position, or its directory's, is far).
    var isBig: Bool { Self.isBig(seek: seekKey) || Self.isBig(seek: seekParent) }

    /// fKeylen: the fixed part, three TStrings and any extra header.
    var keyLength: Int {
        Self.length(className: className, name: name, title: title, big: isBig) + extraLength
    }

    /// The key length for these strings without the extra header.
    static func length(className: String, name: String, title: String, big: Bool) -> Int {
        (big ? 34 : 26) + tStringSize(className) + tStringSize(name) + tStringSize(title)
    }

    /// Bytes a TString of `text` occupies.
    static func tStringSize(_ text: String) -> Int {
        let n = text.utf8.count
        return n < 255 ? 1 + n : 5 + n
    }

    /// The encoded header (without the extra header bytes, which the caller appends).
    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 128)
        write(to: &writer)
        return writer.bytes
    }

    /// Appends the header to `writer`.
    func write(to writer: inout ByteWriter) {
        let big = isBig
        writer.i32(totalBytes)
        writer.i16(big ? 1004 : 4)
        writer.i32(objectLength)
        writer.u32(datime)
        writer.i16(keyLength)
        writer.i16(cycle)
        if big {
            writer.i64(seekKey)
            writer.i64(seekParent)
        } else {
            writer.u32(UInt32(truncatingIfNeeded: seekKey))
            writer.u32(UInt32(truncatingIfNeeded: seekParent))
        }
        writer.tString(className)
        writer.tString(name)
        writer.tString(title)
    }
}

/// ROOT's packed date and time (`TDatime`): `(Y-1995)<<26 | M<<22 | D<<17 | h<<12 | m<<6 | s`.
enum Datime {
    /// The current local time in TDatime form.
    static func now() -> UInt32 {
        var seconds = time(nil)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let year = UInt32(max(Int(parts.tm_year) + 1900 - 1995, 0))
        return year << 26 | UInt32(parts.tm_mon + 1) << 22 | UInt32(parts.tm_mday) << 17
            | UInt32(parts.tm_hour) << 12 | UInt32(parts.tm_min) << 6 | UInt32(parts.tm_sec)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
