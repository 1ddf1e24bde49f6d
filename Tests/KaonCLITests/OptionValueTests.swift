import ArgumentParser
import Foundation
@testable import KaonCLI
import KaonEngine
import Testing

/// What accepted option values become, at the edges of what the checks allow: a check that
/// is stricter than its message (or than the help) fails here.
@Suite struct OptionValueTests {
    func parse<Command: ParsableCommand>(_: Command.Type, _ arguments: [String]) throws -> Command {
        let command = try KaonCommand.parseAsRoot(arguments)
        return try #require(command as? Command, "\(arguments) parsed as \(type(of: command))")
    }

    func refused(_ arguments: [String]) -> Bool {
        (try? KaonCommand.parseAsRoot(arguments)) == nil
    }

    @Test func drawBinsWidthAndOutput() throws {
        let draw = try parse(DrawCommand.self, ["draw", "f.root", "x", "--bins= 40 , -1.5 , 2.5 ", "--width", "20", "-o", "h.json"])
        let bins = try #require(draw.bins)
        #expect(bins.count == 40 && bins.lower == -1.5 && bins.upper == 2.5)
        #expect(draw.width == DrawCommand.minimumWidth && draw.output == "h.json" && draw.threads == 1)
        #expect(refused(["draw", "f.root", "x", "--width", "\(DrawCommand.minimumWidth - 1)"]))

        let most = DrawCommand.Binning.maximumCount
        #expect(try parse(DrawCommand.self, ["draw", "f.root", "x", "--bins", "\(most),0,1"]).bins?.count == most)
        #expect(refused(["draw", "f.root", "x", "--bins", "\(most + 1),0,1"]))
        #expect(refused(["draw", "f.root", "x", "--bins", "1,1,1"]))
    }

    @Test func demoScaleBounds() throws {
        #expect(try parse(DemoCommand.self, ["demo", "--scale", "100"]).scale == 100)
        #expect(try parse(DemoCommand.self, ["demo", "--scale", "1e-3"]).scale == 1e-3)
        #expect(refused(["demo", "--scale", "-1"]))
    }

    /// `START:STOP`, either side empty; `resolve` clamps to the tree.
    @Test func entryRanges() throws {
        let cases: [(String, Int?, Int?, Range<Int>)] = [("3:7", 3, 7, 3..<7), (":7", nil, 7, 0..<7), ("3:", 3, nil, 3..<10),
                                                          (":", nil, nil, 0..<10), ("4:4", 4, 4, 4..<4), ("8:20", 8, 20, 8..<10),
                                                          ("12:", 12, nil, 10..<10)]
        for (text, start, stop, resolved) in cases {
            let range = try #require(EntryRange(argument: text), "\(text)")
            #expect(range.start == start && range.stop == stop, "\(text)")
            #expect(range.resolve(entries: 10) == resolved, "\(text) of 10 entries")
        }
        for text in ["3", "1:2:3", "-1:4", "a:", "3:b", ""] {
            #expect(EntryRange(argument: text) == nil, "\(text)")
        }
    }

    /// `--threads` not given is every core; a request above ``RunOptions/maximumThreads`` is
    /// capped (with a note on standard error).
    @Test func threads() throws {
        #expect(threadsToUse(Int?.none) == ProcessInfo.processInfo.activeProcessorCount)
        #expect(threadsToUse(3) == 3)
        #expect(threadsToUse(RunOptions.maximumThreads) == RunOptions.maximumThreads)
        #expect(threadsToUse(RunOptions.maximumThreads + 1) == RunOptions.maximumThreads)
        // The commands whose default is every core leave the option unset rather than storing
        // this machine's count (their help says "all cores").
        #expect(try parse(RunCommand.self, ["run", "samples.yml", "--analysis", "dimuon"]).threads == nil)
        #expect(try parse(DemoCommand.self, ["demo"]).threads == nil)
    }
}
