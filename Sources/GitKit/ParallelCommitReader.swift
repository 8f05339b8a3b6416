import Clibgit2
import Foundation

/// Reads a list of commits on several threads, each with its own libgit2 repository handle (libgit2
/// handles are not to be shared between threads), and hands the transformed results back in list
/// order. Reading a commit is mostly zlib inflation, so two readers on two cores take about half the time.
///
/// Work goes in batches of `readers × chunkSize` commits: each reader transforms one chunk, then the
/// caller's `body` sees the batch in order. Memory holds one batch of results at a time.
/// Unchecked: each handle is used by one reader thread only, and never after `read` returns.
struct ParallelCommitReader<Result: Sendable>: @unchecked Sendable {
    let handles: [RepositoryHandle]
    let chunkSize: Int
    let transform: @Sendable (Commit) -> Result
    let screen: Screen?

    /// Lets a reader skip `transform` for commits its raw message already rules out.
    struct Screen: Sendable {
        /// Whether the commit (parent count, raw message bytes) must be transformed.
        let mustRead: @Sendable (Int, UnsafeBufferPointer<UInt8>) -> Bool
        /// The result for a commit that need not be (sha, parent count).
        let unread: @Sendable (String, Int) -> Result
    }

    /// Opens `readers` more handles on the repository at `gitDirectory`.
    init(gitDirectory: String, readers: Int, chunkSize: Int = 256, transform: @escaping @Sendable (Commit) -> Result,
         screen: Screen? = nil) throws {
        var handles: [RepositoryHandle] = []
        for _ in 0..<readers {
            var opened: OpaquePointer?
            try LibraryCall.check(git_repository_open(&opened, gitDirectory), "cannot open \(gitDirectory) for reading")
            guard let opened else { throw GitError.nullResult("git_repository_open") }
            handles.append(RepositoryHandle(taking: opened))
        }
        self.handles = handles
        self.chunkSize = chunkSize
        self.transform = transform
        self.screen = screen
    }

    /// Reads `ids` and calls `body` with each result, in the order of `ids`, on the calling thread.
    func read(_ ids: [git_oid], _ body: (Result) throws -> Void) throws {
        let readers = handles.count
        var start = 0
        while start < ids.count {
            let batchEnd = min(ids.count, start + readers * chunkSize)
            let slots = BatchSlots<Result>(count: readers)
            let batchStart = start
            DispatchQueue.concurrentPerform(iterations: readers) { reader in
                let from = batchStart + reader * chunkSize
                let to = min(batchEnd, from + chunkSize)
                guard from < to else { return }
                var results: [Result] = []
                results.reserveCapacity(to - from)
                do {
                    for index in from..<to {
                        let handle = try CommitHandle.lookup(ids[index], in: handles[reader])
                        if let screen, let unread = handle.screened(by: screen.mustRead) {
                            results.append(screen.unread(unread.sha, unread.parentCount))
                        } else {
                            results.append(transform(handle.makeValue()))
                        }
                    }
                    slots.store(.success(results), at: reader)
                } catch {
                    slots.store(.failure(error), at: reader)
                }
            }
            for reader in 0..<readers {
                guard let outcome = slots.take(reader) else { continue }
                for result in try outcome.get() { try body(result) }
            }
            start = batchEnd
        }
    }
}

/// One result slot per reader, written from the reader threads and read after they are done.
private final class BatchSlots<Result>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Swift.Result<[Result], Error>?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func store(_ outcome: Swift.Result<[Result], Error>, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = outcome
    }

    func take(_ index: Int) -> Swift.Result<[Result], Error>? {
        lock.lock()
        defer { lock.unlock() }
        let outcome = slots[index]
        slots[index] = nil
        return outcome
    }
}
