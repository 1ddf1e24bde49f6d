import ArgumentParser
import KaonIO
import KaonNano

/// `kaon nano-dump FILE[:TREE]`: per-event quantities computed through the NanoAOD object
/// view, as JSON (what the coffea comparison in crosschecks/peers/test_nano_coffea.py reads).
struct NanoDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nano-dump",
        abstract: "Print object-view quantities (counts, kinematics, pairs, deltaR, cross-references) as JSON.",
        discussion: """
        Reads the tree (default Events) through Kaon's NanoAOD object view and prints one JSON
        object: per-event collection counts, muon kinematics, all dimuon pair masses, the
        muon x jet deltaR table, matched-jet pt of muons and electrons, MET, and with
        generator particles their parents' pdgId. See ObjectViewDump in KaonNano.

        Example:
          kaon nano-dump nano.root:Events --entries 100
        """
    )

    @Argument(help: "FILE[:TREE] — the tree to read (TREE defaults to Events).")
    var object: String

    @Option(name: .long, help: "Only the first N events.")
    var entries: Int?

    func run() throws {
        let spec = ObjectSpec(object)
        let treePath = spec.path ?? "Events"
        let events = try Events(path: spec.file, treePath: treePath)
        do {
            print(try ObjectViewDump.json(events, entries: entries).text)
        } catch let error as KaonError where error.kind == .missingBranch {
            // The dump reads fixed NanoAOD collections; a tree without one of them is another
            // kind of tree, which says more than the missing branch alone.
            throw KaonError(.usage, "not a NanoAOD tree (no \(error.object ?? "NanoAOD branch")): nano-dump reads the collections "
                            + "\(ObjectViewDump.countedCollections.joined(separator: ", ")) and MET", file: spec.file, object: treePath)
        }
    }
}
