import Clibgit2
import Foundation

/// Reads commits on threads of its own, each with its own libgit2 repository handle (libgit2 handles
/// are not to be shared between threads), and hands the transformed results back in order. Reading a
/// commit is mostly zlib inflation, so two readers on two cores take about half the time.
///
/// Work goes in numbered batches: reader `r` of `n` reads batches `r`, `r + n`, `r + 2n`, … while the
/// caller takes finished batches in order (`CommitReadPipeline`). Readers run at most `lookahead`
/// batches ahead of the caller, so memory holds a few batches of results at a time.
/// Unchecked: each handle and inflater is used by one reader thread only, and never after the
/// pipeline stops.
struct ParallelCommitReader<Result: Sendable>: @unchecked Sendable {
    let handles: [ReaderRepositoryHandle]
    let transform: @Sendable (Commit) -> Result
    let screen: Screen?
    /// The repository's packs, read without libgit2 where a commit allows (see `RawCommit`), with
    /// one inflater a reader; nil reads everything through libgit2.
    let packs: PackDirectory?
    let inflaters: [PackedCommitInflater]
    /// Raw bytes kept from the walk, used before anything is read again.
    let retained: RetainedCommitBytes?

    /// Lets a reader skip `transform` for commits its raw message already rules out.
    struct Screen: Sendable {
        /// Whether the commit (parent count, raw message bytes) must be transformed.
        let mustRead: @Sendable (Int, UnsafeBufferPointer<UInt8>) -> Bool
        /// The result for a commit that need not be (sha, parent count).
        let unread: @Sendable (String, Int) -> Result
    }

    /// Prepares `readers` more handles on the repository at `gitDirectory`, each opened by its
    /// reader when it first needs libgit2.
    init(gitDirectory: String, readers: Int, transform: @escaping @Sendable (Commit) -> Result,
         screen: Screen? = nil, packs: PackDirectory? = nil, retained: RetainedCommitBytes? = nil) {
        handles = (0..<readers).map { _ in ReaderRepositoryHandle(gitDirectory: gitDirectory) }
        self.transform = transform
        self.screen = screen
        self.packs = packs
        inflaters = packs == nil ? [] : (0..<readers).map { _ in PackedCommitInflater() }
        self.retained = retained
    }

    /// Reads `ids` with handle number `reader`, on the calling thread.
    func read(_ ids: [git_oid], reader: Int) throws -> [Result] {
        var results: [Result] = []
        results.reserveCapacity(ids.count)
        for id in ids {
            if let bytes = retained?.bytes(of: id) ?? packs.flatMap({ inflaters[reader].commit(id, in: $0) }),
               let raw = RawCommit(bytes) {
                if let screen, !screen.mustRead(raw.parentCount, UnsafeBufferPointer(rebasing: bytes[raw.message])) {
                    results.append(screen.unread(ObjectID.hex(id), raw.parentCount))
                } else {
                    results.append(transform(raw.makeValue(sha: ObjectID.hex(id), bytes)))
                }
                continue
            }
            let handle = try CommitHandle.lookup(id, in: handles[reader].handle())
            if let screen, let unread = handle.screened(by: screen.mustRead) {
                results.append(screen.unread(unread.sha, unread.parentCount))
            } else {
                results.append(transform(handle.makeValue()))
            }
        }
        return results
    }

    /// Reads `ids` on the reader threads and calls `body` with each result, in the order of `ids`,
    /// on the calling thread.
    func read(_ ids: [git_oid], batchSize: Int = 512, _ body: (Result) throws -> Void) throws {
        let batchCount = (ids.count + batchSize - 1) / batchSize
        let pipeline = CommitReadPipeline(reader: self, batchCount: batchCount) { batch in
            Array(ids[(batch * batchSize)..<min(ids.count, (batch + 1) * batchSize)])
        }
        defer { pipeline.stop() }
        for _ in 0..<batchCount {
            for result in try pipeline.next() { try body(result) }
        }
    }
}
