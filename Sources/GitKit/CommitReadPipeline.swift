import Clibgit2
import Foundation

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
/// libgit2 handles are not used afterwards. Unchecked: all mutable state is guarded by `condition`.
final class CommitReadPipeline<Result: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished: [Swift.Result<[Result], Error>?]
    private var taken = 0
    private var stopping = false
    private let exited = DispatchGroup()
    private let lookahead: Int

    /// Starts one thread per reader handle. `ids(batch)` gives a batch's commit ids; it is called on
    /// the reader threads, so it must only read shared state.
    init(reader: ParallelCommitReader<Result>, batchCount: Int, lookahead: Int? = nil,
         ids: @escaping @Sendable (Int) -> [git_oid]) {
        let readers = reader.handles.count
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
