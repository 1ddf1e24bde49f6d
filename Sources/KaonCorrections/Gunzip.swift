import CKaonCodecs
import KaonIO

/// Decompresses a gzip stream (correctionlib sets are often shipped as .json.gz) with zlib.
enum Gunzip {
    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: a 32 KiB window and a gzip header and trailer.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw KaonError(.corruptCompression, "cannot start gzip decompression")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var source = input
        try source.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            while status != Z_STREAM_END {
                try chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = UInt32(chunkBuffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw KaonError(.corruptCompression, "gzip data is corrupt or truncated (zlib status \(status))")
                    }
                    output.append(contentsOf: chunkBuffer[0..<(chunkBuffer.count - Int(stream.avail_out))])
                }
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 {
                    throw KaonError(.corruptCompression, "gzip data ends early")
                }
            }
        }
        return output
    }
}
