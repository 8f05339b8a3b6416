import CommitBridgeCore
import Foundation

/// The ledger rows of a delivery pass, written in groups on a thread of its own (never blocking the
/// cooperative pool the deliveries run on).
///
/// `performLater` returns at once; its write goes to the disk in one transaction with the others
/// waiting, once `laterBatch` of them wait, and at the latest in `finish()`. A delivery uses it for
/// the ledger row after a successful POST: the attempt mark, already durable, keeps a commit whose
/// row is lost from being posted twice (the next run reads its stories' comments first).
final class DeliveryWriteBatcher: @unchecked Sendable {
    private let store: DeliveryStore
    private let laterBatch: Int
    private let lock = NSLock()
    private var pending: [DeliveryWrite] = []
    private var failures: [(write: DeliveryWrite, error: Error)] = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var draining = false
    private let thread = DispatchQueue(label: "commitbridge.delivery-writes")

    init(store: DeliveryStore, laterBatch: Int = 64) {
        self.store = store
        self.laterBatch = laterBatch
    }

    /// Queues `write` and returns at once; `finish()` reports it if it cannot be written.
    func performLater(_ write: DeliveryWrite) {
        lock.lock()
        pending.append(write)
        let start = pending.count >= laterBatch && startDrainingLocked()
        lock.unlock()
        if start { thread.async { self.drain() } }
    }

    /// Writes whatever waits, and returns the writes that could not be written, with their errors.
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
            let failed = failures
            failures = []
            return failed
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
                try store.perform(batch)
            } catch {
                // The transaction failed as a whole: retry each write alone, so that one write's
                // problem (a full disk, say) is reported for it alone and the others still land.
                for write in batch {
                    do {
                        try store.perform([write])
                    } catch {
                        lock.withLock { failures.append((write, error)) }
                    }
                }
            }
        }
    }
}
