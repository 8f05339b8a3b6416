import Clibgit2
import Foundation

/// One batch of commits being read on a background thread by a `ParallelCommitReader`, so that
/// the caller can handle the previous batch meanwhile. `wait()` hands back the results in order.
/// Unchecked: `outcome` is written once on the reading thread before the semaphore is signalled,
/// and read only after waiting on it.
final class BatchRead<Result: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Swift.Result<[Result], Error>?

    /// Starts reading `ids` at once.
    init(reader: ParallelCommitReader<Result>, ids: [git_oid]) {
        let work = UncheckedIDs(ids)
        DispatchQueue.global().async {
            self.outcome = Swift.Result {
                var results: [Result] = []
                results.reserveCapacity(work.ids.count)
                try reader.read(work.ids) { results.append($0) }
                return results
            }
            self.done.signal()
        }
    }

    /// Waits for the batch and returns its results, or throws its reading error. Call once.
    func wait() throws -> [Result] {
        done.wait()
        return try outcome!.get()
    }
}

/// Commit ids handed to the reading thread (`git_oid` is a plain C value).
private struct UncheckedIDs: @unchecked Sendable {
    let ids: [git_oid]
    init(_ ids: [git_oid]) { self.ids = ids }
}
