import CommitBridgeCore
import Foundation

/// Group commit for concurrent deliveries, on a thread of its own (never blocking the cooperative
/// pool the deliveries run on).
///
/// - `perform` returns once its write is durable: the writes that arrive while one transaction is
///   being synced go together in the next one, so sixteen deliveries in flight cost one `fdatasync`
///   between them instead of sixteen.
/// - `performLater` returns at once; its writes go to the disk with the next transaction, or in one
///   of their own once `laterBatch` of them wait, and at the latest in `finish()`. A delivery uses it
///   for the ledger row after a successful POST: the attempt mark, already durable, keeps a commit
///   whose row is lost from being posted twice (the next run reads its stories' comments first).
final class DeliveryWriteBatcher: @unchecked Sendable {
    private let store: DeliveryStore
    private let laterBatch: Int
    private let lock = NSLock()
    private var pending: [(write: DeliveryWrite, done: CheckedContinuation<Void, Error>?)] = []
    private var waitingLater = 0
    private var laterFailures: [(write: DeliveryWrite, error: Error)] = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var draining = false
    private let thread = DispatchQueue(label: "commitbridge.delivery-writes")

    init(store: DeliveryStore, laterBatch: Int = 64) {
        self.store = store
        self.laterBatch = laterBatch
    }

    /// Returns once `write` is durable; throws the store's error for it.
    func perform(_ write: DeliveryWrite) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            lock.lock()
            pending.append((write, continuation))
            let start = startDrainingLocked()
            lock.unlock()
            if start { thread.async { self.drain() } }
        }
    }

    /// Queues `write` and returns at once (see the type's notes); `finish()` reports its failure.
    func performLater(_ write: DeliveryWrite) {
        lock.lock()
        pending.append((write, nil))
        waitingLater += 1
        let start = waitingLater >= laterBatch && startDrainingLocked()
        lock.unlock()
        if start { thread.async { self.drain() } }
    }

    /// Writes whatever waits, and returns the `performLater` writes that could not be written.
    func finish() async -> [(write: DeliveryWrite, error: Error)] {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if pending.isEmpty && !draining {
                lock.unlock()
                continuation.resume()
                return
            }
            idleWaiters.append(continuation)
            let start = startDrainingLocked()
            lock.unlock()
            if start { thread.async { self.drain() } }
        }
        return lock.withLock {
            let failures = laterFailures
            laterFailures = []
            return failures
        }
    }

    /// Marks a drain as started unless one runs; true when the caller must start it. Lock held.
    private func startDrainingLocked() -> Bool {
        guard !draining else { return false }
        draining = true
        return true
    }

    private func drain() {
        while true {
            lock.lock()
            let batch = pending
            pending = []
            waitingLater = 0
            var idle: [CheckedContinuation<Void, Never>] = []
            if batch.isEmpty {
                draining = false
                idle = idleWaiters
                idleWaiters = []
            }
            lock.unlock()
            guard !batch.isEmpty else {
                idle.forEach { $0.resume() }
                return
            }
            do {
                try store.perform(batch.map(\.write))
                batch.forEach { $0.done?.resume() }
            } catch {
                // One transaction failed as a whole: retry each write alone, so that one write's
                // problem (a full disk, say) is reported to its own caller and the others still land.
                for entry in batch {
                    do {
                        try store.perform([entry.write])
                        entry.done?.resume()
                    } catch {
                        if let done = entry.done {
                            done.resume(throwing: error)
                        } else {
                            lock.lock()
                            laterFailures.append((entry.write, error))
                            lock.unlock()
                        }
                    }
                }
            }
        }
    }
}
