import ArgumentParser
@testable import KaonCLI
import Testing

/// An option value that is checked before the command runs (while parsing, or in the command's
/// `validate()`) fails with ArgumentParser's usage status (64) and a message that names the
/// option, so that the user knows which option to change.
///
/// The end-to-end tests (crosschecks/peers/test_cli*.py) run the binary for draw's --bins and
/// --width, the inference commands' bounds, --fix, --top, diffcut's --width and --steps, adl's
/// --query and --binning and a reversed --entries; these are the other checks, each without a
/// process of its own. Nothing here opens a file: every check comes before any file is read.
@Suite struct UsageErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// What the message must contain: the option first.
        var needles: [String]
        var testDescription: String { "kaon " + arguments.joined(separator: " ") }

        init(_ arguments: [String], names needles: String...) {
            self.arguments = arguments
            self.needles = needles
        }
    }

    static let cases: [Case] = [
        Case(["scan", "f.root:Events", "--threads", "0"], names: "--threads"),
        Case(["draw", "f.root", "x", "--threads", "0"], names: "--threads"),
        Case(["draw", "f.root", "x", "-o", "plot.png"], names: "-o", ".svg", ".json", ".root"),
        // Binning's own messages name the part that is wrong; ArgumentParser adds the option.
        Case(["draw", "f.root", "x", "--bins", "10,0,inf"], names: "--bins", "HI must be a finite number"),
        Case(["draw", "f.root", "x", "--bins", "2.5,0,1"], names: "--bins", "whole number"),
        Case(["adl", "f.root", "--block-size", "0"], names: "--block-size"),
        Case(["adl", "f.root", "--threads", "0"], names: "--threads"),
        Case(["run", "samples.yml", "--analysis", "dimuon", "--threads", "0"], names: "--threads"),
        Case(["run", "samples.yml", "--analysis", "dimuon", "--on-failure", "ignore"], names: "--on-failure", "fail", "skip"),
        Case(["demo", "--scale", "0"], names: "--scale"),
        Case(["demo", "--scale", "100.5"], names: "--scale"),
        Case(["demo", "--threads", "0"], names: "--threads"),
        // KaonIO's parser says "compression TEXT: …"; the command turns it into the option.
        Case(["copy", "in.root", "out.root", "--compression", "zstd:23"], names: "--compression zstd:23", "0-22"),
        Case(["copy", "in.root", "out.root", "--compression", "303"], names: "--compression 303"),
        Case(["merge", "out.root", "in.root", "--compression", "brotli"], names: "--compression brotli", "zstd"),
        Case(["dump", "f.root:Events", "--format", "xml"], names: "--format", "json", "csv"),
        Case(["dump", "f.root:Events", "--entries=-3:5"], names: "--entries"),
        Case(["copy", "in.root", "out.root", "--entries", "9:3"], names: "--entries 9:3", "reversed"),
        Case(["cls", "ws.json", "--poi", "nan"], names: "--poi"),
        Case(["cls", "ws.json", "--test-stat", "q2"], names: "--test-stat", "qtilde"),
        Case(["fit", "ws.json", "--no-uncertainties", "--pulls-svg", "pulls.svg"], names: "--pulls-svg", "--no-uncertainties"),
        Case(["fit", "ws.json", "--histosys", "code9"], names: "--histosys", "code4p"),
        Case(["diffcut", "--start", "inf"], names: "--start"),
        Case(["diffcut", "--width", "nan"], names: "--width"),
        Case(["new", "9lives"], names: "NAME"),
    ]

    @Test(arguments: cases)
    func usageErrorNamesTheOption(_ c: Case) throws {
        let error = try #require(throws: (any Error).self, "\(c) was accepted") { try KaonCommand.parseAsRoot(c.arguments) }
        #expect(KaonCommand.exitCode(for: error) == .validationFailure, "\(c): \(error)")
        let message = KaonCommand.message(for: error)
        for needle in c.needles {
            #expect(message.contains(needle), "\(c): the message does not say \(needle): \(message)")
        }
    }
}
