import CommitBridgeCore
import Foundation

/// `status`: the queue, the ledger and the story cache of each tracker the state directory knows.
public enum StatusService {
    /// One tracker's state.
    public struct TrackerState: Sendable, Hashable {
        /// The identity of the tracker's URL.
        public let tracker: String
        public let queued: Int
        /// Of those, commits queued on commit that wait for a push.
        public let waitingForPush: Int
        /// Commits that left the queue unposted because no branch held them any more (amended,
        /// rebased or reset away before they were pushed), in all.
        public let droppedUnpushed: Int
        /// The oldest queued commit, if any.
        public let oldest: QueuedCommit?
        /// The error of the queued commit that failed last.
        public let lastError: String?
        public let delivered: Int
        public let cache: CacheStatistics
    }

    /// The state directory, then each tracker's state: the configured tracker's first, then any
    /// other the state directory holds (each tracker URL has its own ledger, queue and cache).
    public static func run(_ inputs: ConfigurationInputs, events: @escaping EventSink) throws -> (stateDirectory: String, trackers: [TrackerState]) {
        let configuration = try Workspace.open(inputs, events: events).configuration
        var trackers: [TrackerState] = []
        for database in try StateDirectory.openAll(configuration) {
            database.warnings.forEach { events(.warning($0)) }
            let store = database.store
            let queue = try store.queued()
            trackers.append(TrackerState(tracker: database.tracker, queued: queue.count,
                                         waitingForPush: queue.filter(\.awaitingPush).count,
                                         droppedUnpushed: try store.droppedUnreachableCount(), oldest: try store.oldestQueued(),
                                         lastError: try store.lastError(), delivered: try store.ledgerCount(),
                                         cache: try store.cacheStatistics()))
        }
        return (configuration.stateDirectory.value, trackers)
    }
}
