import CommitBridgeCore
import CommitBridgeStore
import Foundation

/// Opens the state directory's database for a command, mapping failures to exit code 2.
///
/// The ledger, the queue and the story cache belong to one tracker: the state directory holds one
/// database per tracker URL, `tracker-<key>.sqlite`, where the key is derived from the URL's
/// identity (`TrackerEndpoint.storageKey`). The single `commitbridge.sqlite` of older versions is
/// taken over by the first tracker that opens the directory.
enum StateDirectory {
    /// The database file's name for the configured tracker.
    static func databaseName(_ configuration: Configuration) -> String {
        "tracker-\(configuration.tracker.value.storageKey).sqlite"
    }

    /// Whether the configured tracker's database (or an older one it would take over) exists.
    static func hasDatabase(_ configuration: Configuration) -> Bool {
        let directory = configuration.stateDirectory.value
        return [databaseName(configuration), SQLiteDeliveryStore.fileName].contains {
            access(directory + "/" + $0, F_OK) == 0
        }
    }

    /// The store, and any warnings from opening it (for example a corrupt file renamed aside).
    /// Commits a hook kept in the spill file are queued first (see `takeInSpill`), except with `quick`.
    /// - Parameters:
    ///   - verifyIntegrity: false on the hooks' quick path (see `SQLiteDeliveryStore.open`).
    ///   - quick: a hook's connection, which waits at most `SQLiteDeliveryStore.hookBusyTimeout`
    ///     for another process's lock; the hook takes the spill file in along with its own commits.
    static func open(_ configuration: Configuration, verifyIntegrity: Bool = true,
                            quick: Bool = false) throws -> (store: any DeliveryStore, warnings: [String]) {
        do {
            let store = try SQLiteDeliveryStore.open(directory: configuration.stateDirectory.value,
                                                     name: databaseName(configuration),
                                                     adopting: SQLiteDeliveryStore.fileName,
                                                     verifyIntegrity: verifyIntegrity,
                                                     quickTimeout: quick ? SQLiteDeliveryStore.hookBusyTimeout : nil)
            if try store.tracker() == nil {
                try store.nameTracker(configuration.tracker.value.identity)
            }
            return (store, store.openWarnings + (quick ? [] : takeInSpill(into: store, configuration)))
        } catch {
            throw CommitBridgeError.configuration("cannot open the state directory '\(configuration.stateDirectory.value)': \(StoreError.line(for: error) ?? "\(error)")")
        }
    }

    /// The configured tracker's store, opened for a delivery: the warnings of opening it and the
    /// queues it takes over from other tracker URLs (see `takeOverStrandedQueues`) go to `events`.
    static func openForDelivery(_ configuration: Configuration, events: EventSink) throws -> any DeliveryStore {
        let (store, warnings) = try open(configuration)
        warnings.forEach { events(.warning($0)) }
        try takeOverStrandedQueues(into: store, configuration).forEach { events(.note($0.line)) }
        return store
    }

    /// The file names of the other trackers' databases in the state directory.
    static func otherDatabases(_ configuration: Configuration) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.stateDirectory.value)) ?? []
        return names.filter { $0.hasPrefix("tracker-") && $0.hasSuffix(".sqlite") && $0 != databaseName(configuration) }.sorted()
    }

    /// Every tracker's database in the state directory, the configured tracker's first, each with
    /// the tracker it belongs to (for `status`). The configured tracker's is made only when the
    /// directory holds no other.
    static func openAll(_ configuration: Configuration) throws -> [(tracker: String, store: any DeliveryStore, warnings: [String])] {
        let others = otherDatabases(configuration)
        var result: [(tracker: String, store: any DeliveryStore, warnings: [String])] = []
        if hasDatabase(configuration) || others.isEmpty {
            let (own, warnings) = try open(configuration)
            result.append((tracker: configuration.tracker.value.identity, store: own, warnings: warnings))
        }
        for name in others {
            let store = try openOther(name, configuration)
            result.append((tracker: try store.tracker() ?? name, store: store, warnings: store.openWarnings))
        }
        return result
    }

    /// Commits waiting in the queues of other trackers that never delivered anything (see
    /// `takeOverStrandedQueues`), without opening the configured tracker's database.
    static func strandedCount(_ configuration: Configuration) throws -> Int {
        try otherDatabases(configuration).reduce(0) { total, name in
            let store = try openOther(name, configuration, quick: true)
            return total + (try store.ledgerCount() == 0 ? store.queueCount() : 0)
        }
    }

    /// Moves into `store` (the configured tracker's) the commits queued for another tracker URL that
    /// has never delivered a commit: a URL that was wrong, or a server that was never reached. Those
    /// commits were queued for "the tracker" and must not be stranded when the URL is corrected. A
    /// tracker that delivered before keeps its queue: it is a tracker of its own (each tracker has
    /// its own ledger, and a replay posts everything to a new one).
    /// - Returns: for each tracker taken from, its identity and how many commits came.
    static func takeOverStrandedQueues(into store: any DeliveryStore, _ configuration: Configuration) throws -> [TakenOverQueue] {
        var taken: [TakenOverQueue] = []
        for name in otherDatabases(configuration) {
            let other = try openOther(name, configuration)
            guard try other.ledgerCount() == 0 else { continue }
            let waiting = try other.queued()
            guard !waiting.isEmpty else { continue }
            // Into the new queue first, then out of the old one: a crash in between leaves the
            // commits in both queues, and the ledger and Tracker's comments keep either from
            // posting twice.
            try store.enqueue(waiting.map { QueuedCommit(sha: $0.sha, stories: $0.stories, body: $0.body, enqueuedAt: $0.enqueuedAt) })
            try other.removeFromQueue(waiting.map(\.sha))
            taken.append(TakenOverQueue(tracker: try other.tracker() ?? name, count: waiting.count))
        }
        return taken
    }

    /// Opens another tracker's database; `quick` for a hook (no integrity check, a short wait).
    private static func openOther(_ name: String, _ configuration: Configuration, quick: Bool = false) throws -> SQLiteDeliveryStore {
        let directory = configuration.stateDirectory.value
        do {
            return try SQLiteDeliveryStore.open(directory: directory, name: name, verifyIntegrity: !quick,
                                                quickTimeout: quick ? SQLiteDeliveryStore.hookBusyTimeout : nil)
        } catch {
            throw CommitBridgeError.configuration("cannot open '\(directory)/\(name)': \(StoreError.line(for: error) ?? "\(error)")")
        }
    }

    /// Creates the state directory (mode 0700) if it is missing, without opening the database.
    static func prepare(_ configuration: Configuration) throws {
        do {
            try SQLiteDeliveryStore.prepareDirectory(configuration.stateDirectory.value)
        } catch {
            throw CommitBridgeError.configuration("cannot create the state directory '\(configuration.stateDirectory.value)': \(error)")
        }
    }

    /// The file where a hook keeps the commits it could not queue (the database was busy), until
    /// the next run that opens the store queues them.
    static func spillFile(for configuration: Configuration) -> SpillFile {
        SpillFile(path: configuration.stateDirectory.value + "/spill-\(configuration.tracker.value.storageKey).jsonl")
    }

    /// Queues the commits kept in the spill file, if any. Returns warnings: lines that were not
    /// commits, or a failure to queue them (they stay in the file for the next run).
    static func takeInSpill(into store: any DeliveryStore, _ configuration: Configuration) -> [String] {
        let spill = spillFile(for: configuration)
        do {
            return try spill.takeIn(into: store).warnings
        } catch {
            return ["the commits kept in \(spill.path) could not be queued yet (\(StoreError.line(for: error) ?? "\(error)")); the next run tries again"]
        }
    }
}
