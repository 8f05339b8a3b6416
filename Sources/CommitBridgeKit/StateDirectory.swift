import CommitBridgeCore
import CommitBridgeStore

/// Opens the state directory's database for a command, mapping failures to exit code 2.
public enum StateDirectory {
    /// The store, and any warnings from opening it (for example a corrupt file renamed aside).
    /// Commits a hook kept in the spill file are queued first (see `takeInSpill`), except with `quick`.
    /// - Parameters:
    ///   - verifyIntegrity: false on the hooks' quick path (see `SQLiteDeliveryStore.open`).
    ///   - quick: a hook's connection, which waits at most `SQLiteDeliveryStore.hookBusyTimeout`
    ///     for another process's lock; the hook takes the spill file in along with its own commits.
    public static func open(_ configuration: Configuration, verifyIntegrity: Bool = true,
                            quick: Bool = false) throws -> (store: SQLiteDeliveryStore, warnings: [String]) {
        do {
            let store = try SQLiteDeliveryStore.open(directory: configuration.stateDirectory.value, verifyIntegrity: verifyIntegrity,
                                                     quickTimeout: quick ? SQLiteDeliveryStore.hookBusyTimeout : nil)
            return (store, store.openWarnings + (quick ? [] : takeInSpill(into: store, configuration)))
        } catch {
            throw CommitBridgeError.configuration("cannot open the state directory '\(configuration.stateDirectory.value)': \(StoreError.line(for: error) ?? "\(error)")")
        }
    }

    /// Creates the state directory (mode 0700) if it is missing, without opening the database.
    public static func prepare(_ configuration: Configuration) throws {
        do {
            try SQLiteDeliveryStore.prepareDirectory(configuration.stateDirectory.value)
        } catch {
            throw CommitBridgeError.configuration("cannot create the state directory '\(configuration.stateDirectory.value)': \(error)")
        }
    }

    /// The file where a hook keeps the commits it could not queue (the database was busy), until
    /// the next run that opens the store queues them.
    public static func spillFile(for configuration: Configuration) -> SpillFile {
        SpillFile(path: configuration.stateDirectory.value + "/spill.jsonl")
    }

    /// Queues the commits kept in the spill file, if any. Returns warnings: lines that were not
    /// commits, or a failure to queue them (they stay in the file for the next run).
    public static func takeInSpill(into store: SQLiteDeliveryStore, _ configuration: Configuration) -> [String] {
        let spill = spillFile(for: configuration)
        do {
            return try spill.takeIn(into: store).warnings
        } catch {
            return ["the commits kept in \(spill.path) could not be queued yet (\(StoreError.line(for: error) ?? "\(error)")); the next run tries again"]
        }
    }
}
