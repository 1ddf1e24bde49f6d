import Testing
#if canImport(Glibc)
import Glibc
#endif
import KaonIO
import KaonTestSupport

@Suite("TemporaryOutput")
struct TemporaryOutputTests {
    /// The files in `directory` whose names start with `prefix`.
    func entries(_ directory: String, prefix: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name.hasPrefix(prefix) { names.append(name) }
        }
        return names
    }

    func contents(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            bytes += buffer[..<n]
        }
        return bytes
    }

    @Test("until commit the final name keeps its previous content; commit replaces it and removes the temporary")
    func commitReplaces() throws {
        let path = temporaryPath("temporary-output", suffix: ".txt")
        defer { unlink(path) }
        try OutputFile.write("previous", to: path)
        let output = try TemporaryOutput(finalPath: path)
        #expect(output.temporaryPath.hasPrefix(temporaryDirectory + "/.kaon-temporary-output-"))
        #expect(output.temporaryPath.contains(TemporaryOutput.marker + "\(getpid())-"))
        #expect(PendingOutputs.pending.contains(path))
        try Array("new content".utf8).withUnsafeBytes { try output.write($0, at: 0) }
        #expect(contents(path) == Array("previous".utf8))
        try output.commit()
        #expect(contents(path) == Array("new content".utf8))
        #expect(contents(output.temporaryPath) == nil)
        #expect(!PendingOutputs.pending.contains(path))
    }

    @Test("an output discarded or dropped uncommitted leaves the final name untouched and no temporary")
    func discardKeepsPrevious() throws {
        let path = temporaryPath("temporary-discard", suffix: ".txt")
        defer { unlink(path) }
        try OutputFile.write("previous", to: path)
        var temporary = ""
        do {
            let output = try TemporaryOutput(finalPath: path)
            temporary = output.temporaryPath
            try Array("partial".utf8).withUnsafeBytes { try output.write($0, at: 0) }
        }
        #expect(contents(temporary) == nil)
        #expect(contents(path) == Array("previous".utf8))
        #expect(!PendingOutputs.pending.contains(path))
    }

    @Test("a temporary left by a process that no longer runs is removed by the next output of that name; a live one stays")
    func staleTemporariesAreRemoved() throws {
        let path = temporaryPath("temporary-stale", suffix: ".txt")
        defer { unlink(path) }
        let base = String(path.split(separator: "/").last!)
        // PID 2^22 + 1 is above Linux's pid_max ceiling: no process has it.
        let stale = "\(temporaryDirectory)/.\(base)\(TemporaryOutput.marker)4194305-abcdef"
        let live = "\(temporaryDirectory)/.\(base)\(TemporaryOutput.marker)\(getpid())-abcdef"
        defer { unlink(live) }
        for name in [stale, live] { close(open(name, O_CREAT | O_WRONLY, 0o600)) }
        try OutputFile.write("new", to: path)
        #expect(entries(temporaryDirectory, prefix: "." + base).sorted() == [String(live.split(separator: "/").last!)])
    }

    @Test("an output that cannot be created names the final path")
    func cannotCreate() {
        let error = expectKaonError(.system) { try TemporaryOutput(finalPath: "/nonexistent-kaon-folder/out.root") }
        #expect(error?.message.hasPrefix("cannot create /nonexistent-kaon-folder/out.root:") == true)
    }
}
