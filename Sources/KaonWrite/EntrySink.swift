/// What takes entries batch by batch and is finished once: a TTree or an RNTuple being
/// written. `ROOTCopier` writes either through it, and `ROOTFileWriter.close()` finishes
/// the ones their owners left open.
protocol EntrySink: AnyObject {
    var compressionThreads: Int { get }
    func append(_ batch: [String: BranchValues]) throws
    func finish() throws
}

extension TreeWriter: EntrySink {}
extension RNTupleWriter: EntrySink {}
