import CommitBridgeCore
import Foundation

/// Group commit for concurrent deliveries: each attempt mark and ledger row still reaches the disk
/// before its caller goes on (the POST after the mark, the report after the row), but the writes that
/// arrive while one transaction is being synced go together in the next one, so sixteen deliveries in
/// flight cost one `fdatasync` between them instead of sixteen. The writes run on a thread of their
/// own, never blocking the cooperative pool the deliveries run on.
final class DeliveryWriteBatcher: @unchecked Sendable {
    private let store: DeliveryStore
    private let lock = NSLock()
    private var pending: [(write: DeliveryWrite, done: CheckedContinuation<Void, Error>)] = []
    private var draining = false
    private let thread = DispatchQueue(label: "commitbridge.delivery-writes")

    init(store: DeliveryStore) {
        self.store = store
    }

    /// Returns once `write` is durable; throws the store's error for it.
    func perform(_ write: DeliveryWrite) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            lock.lock()
            pending.append((write, continuation))
            let start = !draining
            draining = true
            lock.unlock()
            if start { thread.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            lock.lock()
            let batch = pending
            pending = []
            if batch.isEmpty { draining = false }
            lock.unlock()
            guard !batch.isEmpty else { return }
            do {
                try store.perform(batch.map(\.write))
                batch.forEach { $0.done.resume() }
            } catch {
                // One transaction failed as a whole: retry each write alone, so that one write's
                // problem (a full disk, say) is reported to its own caller and the others still land.
                for entry in batch {
                    do {
                        try store.perform([entry.write])
                        entry.done.resume()
                    } catch {
                        entry.done.resume(throwing: error)
                    }
                }
            }
        }
    }
}
