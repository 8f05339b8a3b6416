import CommitBridgeCore
import CommitBridgeStore
import Foundation

/// Opens the state directory's database for a command, mapping failures to exit code 2.
///
/// The ledger, the queue and the story cache belong to one tracker: the state directory holds one
/// database per tracker URL, `tracker-<key>.sqlite`, where the key is derived from the URL's
/// identity (`TrackerEndpoint.storageKey`). The single `commitbridge.sqlite` of older versions is
/// taken over by the first tracker that opens the directory.
public enum StateDirectory {
    /// The database file's name for the configured tracker.
    public static func databaseName(_ configuration: Configuration) -> String {
        "tracker-\(configuration.tracker.value.storageKey).sqlite"
    }

    /// The database file's path for the configured tracker.
    public static func databasePath(_ configuration: Configuration) -> String {
        configuration.stateDirectory.value + "/" + databaseName(configuration)
    }

    /// Whether the configured tracker's database (or an older one it would take over) exists.
    public static func hasDatabase(_ configuration: Configuration) -> Bool {
        let directory = configuration.stateDirectory.value
        return [databaseName(configuration), SQLiteDeliveryStore.fileName].contains {
            access(directory + "/" + $0, F_OK) == 0
        }
    }

    /// The store, and any warnings from opening it (for example a corrupt file renamed aside).
    /// - Parameter verifyIntegrity: false on the hooks' quick path (see `SQLiteDeliveryStore.open`).
    public static func open(_ configuration: Configuration, verifyIntegrity: Bool = true) throws -> (store: SQLiteDeliveryStore, warnings: [String]) {
        do {
            let store = try SQLiteDeliveryStore.open(directory: configuration.stateDirectory.value,
                                                     name: databaseName(configuration),
                                                     adopting: SQLiteDeliveryStore.fileName,
                                                     verifyIntegrity: verifyIntegrity)
            if try store.tracker() == nil {
                try store.nameTracker(configuration.tracker.value.identity)
            }
            return (store, store.openWarnings)
        } catch {
            throw CommitBridgeError.configuration("cannot open the state directory '\(configuration.stateDirectory.value)': \(StoreError.line(for: error) ?? "\(error)")")
        }
    }

    /// Every tracker's database in the state directory, the configured tracker's first, each with
    /// the tracker it belongs to (for `status`). The configured tracker's is made only when the
    /// directory holds no other.
    public static func openAll(_ configuration: Configuration) throws -> [(tracker: String, store: SQLiteDeliveryStore, warnings: [String])] {
        let directory = configuration.stateDirectory.value
        let others = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            $0.hasPrefix("tracker-") && $0.hasSuffix(".sqlite") && $0 != databaseName(configuration)
        }
        var result: [(tracker: String, store: SQLiteDeliveryStore, warnings: [String])] = []
        if hasDatabase(configuration) || others.isEmpty {
            let (own, warnings) = try open(configuration)
            result.append((tracker: configuration.tracker.value.identity, store: own, warnings: warnings))
        }
        for name in others.sorted() {
            do {
                let store = try SQLiteDeliveryStore.open(directory: directory, name: name)
                result.append((tracker: try store.tracker() ?? name, store: store, warnings: store.openWarnings))
            } catch {
                throw CommitBridgeError.configuration("cannot open '\(directory)/\(name)': \(StoreError.line(for: error) ?? "\(error)")")
            }
        }
        return result
    }

    /// Creates the state directory (mode 0700) if it is missing, without opening the database.
    public static func prepare(_ configuration: Configuration) throws {
        do {
            try SQLiteDeliveryStore.prepareDirectory(configuration.stateDirectory.value)
        } catch {
            throw CommitBridgeError.configuration("cannot create the state directory '\(configuration.stateDirectory.value)': \(error)")
        }
    }
}
