import CommitBridgeCore
import CommitBridgeStore

/// Opens the state directory's database for a command, mapping failures to exit code 2.
public enum StateDirectory {
    /// The store, and any warnings from opening it (for example a corrupt file renamed aside).
    /// - Parameter verifyIntegrity: false on the hooks' quick path (see `SQLiteDeliveryStore.open`).
    public static func open(_ configuration: Configuration, verifyIntegrity: Bool = true) throws -> (store: SQLiteDeliveryStore, warnings: [String]) {
        do {
            let store = try SQLiteDeliveryStore.open(directory: configuration.stateDirectory.value, verifyIntegrity: verifyIntegrity)
            return (store, store.openWarnings)
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
}
