import Foundation

/// Reads commits on threads of its own, each with its own `CommitFallback` (GitKit's holds a libgit2
/// repository handle, and libgit2 handles are not to be shared between threads), and hands the
/// transformed results back in order. Reading a commit is mostly zlib inflation, so two readers on
/// two cores take about half the time.
///
/// Work goes in numbered batches: reader `r` of `n` reads batches `r`, `r + n`, `r + 2n`, … while the
/// caller takes finished batches in order (`CommitReadPipeline`). Readers run at most `lookahead`
/// batches ahead of the caller, so memory holds a few batches of results at a time.
/// Unchecked: each fallback and inflater is used by one reader thread only, and never after the
/// pipeline stops.
struct ParallelCommitReader<Result: Sendable>: @unchecked Sendable {
    let fallbacks: [any CommitFallback]
    let transform: @Sendable (Commit) -> Result
    let screen: Screen?
    /// The repository's packs, read directly where a commit allows (see `RawCommit`), with one
    /// inflater a reader; nil reads everything through the fallbacks.
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

    /// Prepares `readers` more fallbacks, made by `fallback` for the reader threads.
    init(fallback: any CommitFallback, readers: Int, transform: @escaping @Sendable (Commit) -> Result,
         screen: Screen? = nil, packs: PackDirectory? = nil, retained: RetainedCommitBytes? = nil) {
        fallbacks = (0..<readers).map { _ in fallback.makeFallbackForAnotherThread() }
        self.transform = transform
        self.screen = screen
        self.packs = packs
        inflaters = packs == nil ? [] : (0..<readers).map { _ in PackedCommitInflater() }
        self.retained = retained
    }

    /// Reads `ids` with fallback and inflater number `reader`, on the calling thread.
    func read(_ ids: [ObjectID], reader: Int) throws -> [Result] {
        var results: [Result] = []
        results.reserveCapacity(ids.count)
        for id in ids {
            if let bytes = retained?.bytes(of: id) ?? packs.flatMap({ inflaters[reader].commit(id, in: $0) }),
               let raw = RawCommit(bytes) {
                if let screen, !screen.mustRead(raw.parentCount, UnsafeBufferPointer(rebasing: bytes[raw.message])) {
                    results.append(screen.unread(id.hex, raw.parentCount))
                } else {
                    results.append(transform(raw.makeValue(sha: id.hex, bytes)))
                }
                continue
            }
            switch try fallbacks[reader].readCommit(id, screen: screen?.mustRead) {
            case .skipped(let parentCount):
                results.append(screen!.unread(id.hex, parentCount))
            case .commit(let commit):
                results.append(transform(commit))
            }
        }
        return results
    }

    /// Reads `ids` on the reader threads and calls `body` with each result, in the order of `ids`,
    /// on the calling thread.
    func read(_ ids: [ObjectID], batchSize: Int = 512, _ body: (Result) throws -> Void) throws {
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


/// Batches of commits read by a `ParallelCommitReader` on one thread per reader, taken in order by
/// the caller with `next()`, so that the caller's handling of one batch overlaps the reading of the
/// next ones.
///
/// Reader `r` of `n` reads batches `r`, `r + n`, … in turn, and waits while its next batch is
/// `lookahead` or more ahead of the next one the caller will take. The reader of the batch the caller
/// waits for is never held back that way, so the pipeline cannot stall. The threads are dedicated
/// ones rather than Dispatch's pool: with the caller busy on one of two cores, Dispatch ran both
/// readers' work on one thread.
///
/// Call `stop()` when done (also after an error): it lets the threads go and waits for them, so the
/// fallbacks (and their libgit2 handles) are not used afterwards. Unchecked: all mutable state is
/// guarded by `condition`.
final class CommitReadPipeline<Result: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished: [Swift.Result<[Result], Error>?]
    private var taken = 0
    private var stopping = false
    private let exited = DispatchGroup()
    private let lookahead: Int

    /// Starts one thread per reader. `ids(batch)` gives a batch's commit ids; it is called on
    /// the reader threads, so it must only read shared state.
    init(reader: ParallelCommitReader<Result>, batchCount: Int, lookahead: Int? = nil,
         ids: @escaping @Sendable (Int) -> [ObjectID]) {
        let readers = reader.fallbacks.count
        finished = Array(repeating: nil, count: batchCount)
        self.lookahead = lookahead ?? 2 * readers
        for number in 0..<readers {
            exited.enter()
            let thread = Thread { [self] in
                defer { exited.leave() }
                var batch = number
                while batch < batchCount, waitForRoom(before: batch) {
                    let outcome = Swift.Result { try reader.read(ids(batch), reader: number) }
                    store(outcome, at: batch)
                    if case .failure = outcome { return }
                    batch += readers
                }
            }
            thread.name = "commitbridge-reader-\(number)"
            thread.start()
        }
    }

    /// The next batch's results, in order; throws the error that reading it met.
    func next() throws -> [Result] {
        condition.lock()
        defer { condition.unlock() }
        let batch = taken
        precondition(batch < finished.count, "no batch left to take")
        while finished[batch] == nil { condition.wait() }
        let outcome = finished[batch]!
        finished[batch] = nil
        taken += 1
        condition.broadcast()
        return try outcome.get()
    }

    /// Lets the reader threads finish (those not yet reading stop at once) and waits for them.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }

    /// Waits until `batch` is less than `lookahead` ahead of the caller; false when stopping.
    private func waitForRoom(before batch: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopping && batch >= taken + lookahead { condition.wait() }
        return !stopping
    }

    private func store(_ outcome: Swift.Result<[Result], Error>, at batch: Int) {
        condition.lock()
        finished[batch] = outcome
        condition.broadcast()
        condition.unlock()
    }
}
