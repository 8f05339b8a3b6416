import CSQLiteOptions
import CommitBridgeCore
import Foundation
import GRDB

/// The state directory's database (`commitbridge.sqlite`): the ledger of delivered commits, the
/// queue of waiting ones and the story cache, in SQLite through GRDB.
///
/// Every method is one transaction. Writes begin IMMEDIATE transactions and wait up to
/// `busyTimeout` seconds for another process's write to finish, so two processes can share the file.
public final class SQLiteDeliveryStore: DeliveryStore {
    /// The database file's name inside the state directory.
    public static let fileName = "commitbridge.sqlite"
    /// How long a connection waits for another connection's lock before failing, in seconds.
    public static let busyTimeout: Double = 5
    /// The busy timeout of a hook's connection, in seconds: a hook that cannot write by then keeps
    /// its commits in the spill file (`SpillFile`) instead of making git wait.
    public static let hookBusyTimeout: Double = 1

    /// The database file, or nil for an in-memory store.
    public let path: String?
    /// Problems met while opening (an unreadable file moved aside, loose permissions), one line each.
    public let openWarnings: [String]

    let writer: any DatabaseWriter

    private init(writer: any DatabaseWriter, path: String?, openWarnings: [String]) {
        self.writer = writer
        self.path = path
        self.openWarnings = openWarnings
    }

    /// Opens `<directory>/commitbridge.sqlite`, creating the directory (mode 0700) and the file
    /// (mode 0600) if needed, and brings its schema up to date. Processes opening the same file
    /// take turns (`open.lock`), so a first run of two at once cannot race to create the schema.
    ///
    /// A file that is not an SQLite database, or that fails `PRAGMA quick_check`, is renamed to
    /// `commitbridge.sqlite.corrupt-<unix time>` and replaced by an empty database; `openWarnings`
    /// says so. A readable database whose migration fails is never replaced: the error is thrown.
    ///
    /// - Parameter verifyIntegrity: run `PRAGMA quick_check`, which reads every page (a tenth of a
    ///   second on a large ledger). Hooks pass false to stay quick; the delivery they start, and every
    ///   other command, check. A file that is not a database at all is caught either way.
    /// Creates the state directory (mode 0700) if it is missing, without opening the database:
    /// for files kept beside it, such as the background hook's `delivery.log`.
    public static func prepareDirectory(_ directory: String) throws {
        try StateFiles.prepareDirectory(directory)
    }

    /// Opens the state database, as described above `prepareDirectory`.
    /// - Parameters:
    ///   - name: the database file's name inside `directory` (one state directory can hold one
    ///     database per tracker).
    ///   - adopting: the name of an older database file to take over, renamed to `name` (with its
    ///     write-ahead log), when `name` does not exist yet.
    ///   - quickTimeout: when set, how long this connection waits for another's lock, and for
    ///     `open.lock`, in seconds (hooks pass `hookBusyTimeout`); else `busyTimeout`, and
    ///     `open.lock` is waited for as long as it takes.
    public static func open(directory: String, name: String = fileName, adopting older: String? = nil,
                            verifyIntegrity: Bool = true, quickTimeout: Double? = nil) throws -> SQLiteDeliveryStore {
        try StateFiles.prepareDirectory(directory)
        let path = (directory as NSString).appendingPathComponent(name)
        let busyTimeout = quickTimeout ?? Self.busyTimeout
        return try StateFiles.whileOpening(directory, wait: quickTimeout) {
            if let older {
                try StateFiles.adopt((directory as NSString).appendingPathComponent(older), as: path)
            }
            var warnings: [String] = []
            let queue: DatabaseQueue
            do {
                queue = try openVerified(path: path, verifyIntegrity: verifyIntegrity, busyTimeout: busyTimeout, warnings: &warnings)
            } catch let failure as UnreadableDatabase {
                let movedTo = try StateFiles.moveAside(path, at: Date().timeIntervalSince1970)
                warnings.append("\(path) was not a readable database (\(failure.reason)); "
                    + "moved it to \(movedTo) and started an empty one; commits it held in its queue are still in git: "
                    + "'commitbridge replay <range>' queues them again, and Tracker's comments keep them from being posted twice")
                queue = try openVerified(path: path, verifyIntegrity: verifyIntegrity, busyTimeout: busyTimeout, warnings: &warnings)
            }
            try StoreSchema.migrator.migrate(queue)
            return SQLiteDeliveryStore(writer: queue, path: path, openWarnings: warnings)
        }
    }

    /// The tracker this database belongs to (the identity of its URL), or nil before it was named.
    public func tracker() throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'tracker'")
        }
    }

    /// Names the tracker this database belongs to, unless it has a name already.
    public func nameTracker(_ identity: String) throws {
        try writeWithoutSync { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('tracker', ?) ON CONFLICT (key) DO NOTHING",
                           arguments: [identity])
        }
    }

    /// An empty store in memory, for tests. Nothing is kept after it is released.
    public static func inMemory() throws -> SQLiteDeliveryStore {
        let queue = try DatabaseQueue(configuration: configuration())
        try StoreSchema.migrator.migrate(queue)
        return SQLiteDeliveryStore(writer: queue, path: nil, openWarnings: [])
    }

    /// Closes the database connection. The write-ahead log stays beside the database file (every
    /// transaction in it reached the disk when it committed); SQLite folds it into the file once it
    /// grows past 1,000 pages, and the next connection reads it. Any later call on this store throws.
    public func close() throws {
        try writer.close()
    }

    private static func configuration(busyTimeout: Double = SQLiteDeliveryStore.busyTimeout) -> Configuration {
        var configuration = Configuration()
        configuration.label = "commitbridge.state"
        configuration.busyMode = .timeout(busyTimeout)
        return configuration
    }

    /// Opens the file at `path` in WAL mode and checks it. Throws `UnreadableDatabase` if SQLite
    /// says it is not a database or is damaged, after closing the connection.
    ///
    /// One connection (a `DatabaseQueue`) is enough for a command-line run; WAL lets another
    /// process read while this one writes.
    private static func openVerified(path: String, verifyIntegrity: Bool, busyTimeout: Double,
                                     warnings: inout [String]) throws -> DatabaseQueue {
        if let warning = try StateFiles.createPrivateFile(path) {
            warnings.append(warning)
        }
        var settings = configuration(busyTimeout: busyTimeout)
        settings.journalMode = .wal
        settings.prepareDatabase { db in
            // Copying the log into the file at close cost two more syncs to disk (about 4 ms) at the
            // end of every run, hooks included. An SQLite that does not know the option refuses it
            // and checkpoints at close as before, which is only slower.
            _ = commitbridge_sqlite_keep_wal_on_close(db.sqliteConnection)
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: settings)
        } catch let error as DatabaseError where UnreadableDatabase.isDamage(error) {
            throw UnreadableDatabase(reason: error.message ?? "\(error.resultCode)")
        }
        do {
            // The ledger is what keeps a commit from being posted twice: make each commit reach
            // the disk, not only the operating system (GRDB's WAL setup chooses NORMAL).
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            let report = verifyIntegrity ? try queue.read { db in
                try String.fetchAll(db, sql: "PRAGMA quick_check")
            } : ["ok"]
            if report != ["ok"] {
                throw UnreadableDatabase(reason: "quick_check: " + report.prefix(3).joined(separator: "; "))
            }
            return queue
        } catch let error as DatabaseError where UnreadableDatabase.isDamage(error) {
            try? queue.close()
            throw UnreadableDatabase(reason: error.message ?? "\(error.resultCode)")
        } catch {
            try? queue.close()
            throw error
        }
    }
}
