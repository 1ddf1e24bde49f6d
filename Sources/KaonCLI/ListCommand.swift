import ArgumentParser
import KaonIO
import KaonROOT

/// `kaon ls FILE`: every key in a file, recursively.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List every key in a ROOT file, recursively.",
        discussion: """
        Prints one line per key: its path inside the file, its cycle, its class and its title,
        separated by tabs. Subdirectories are descended into; their keys follow the directory.

        Example:
          kaon ls nano.root
          Events;1    TTree    Events
        """
    )

    @Argument(help: "The ROOT file to list.")
    var file: String

    @Flag(name: .long, help: "Print JSON (an array of {path, cycle, class, title}) instead of text.")
    var json = false

    @Flag(name: .long, help: "List the file's free segments (reusable byte ranges, first-last inclusive) instead of its keys.")
    var free = false

    func run() throws {
        let rootFile = try ROOTFile(path: file)
        if free {
            let segments = try rootFile.freeSegments()
            if json {
                print(JSONValue.array(segments.map { .object([("first", .integer(Int64($0.lowerBound))), ("last", .integer(Int64($0.upperBound)))]) }).text)
            } else {
                for segment in segments { print("\(segment.lowerBound)\t\(segment.upperBound)") }
            }
            return
        }
        let entries = try rootFile.root.walk()
        if json {
            let items = entries.map { entry in
                JSONValue.object([
                    ("path", .string(entry.path)), ("cycle", .integer(Int64(entry.key.cycle))),
                    ("class", .string(entry.key.className)), ("title", .string(entry.key.title)),
                ])
            }
            print(JSONValue.array(items).text)
            return
        }
        for entry in entries {
            print("\(entry.path);\(entry.key.cycle)\t\(entry.key.className)\t\(entry.key.title)")
        }
    }
}
