import Foundation
import GRDB

/// The state database's schema, as an ordered list of migrations. A migration, once released, is
/// never edited: later changes go in a new one ("v2", …).
enum StoreSchema {
    /// All migrations, applied in registration order by `DatabaseMigrator.migrate(_:)`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // Delivered commits. `stories` is a JSON array of story ids.
            try db.execute(sql: """
                CREATE TABLE ledger (
                    sha TEXT PRIMARY KEY NOT NULL,
                    stories TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    response TEXT,
                    delivered_at REAL NOT NULL
                )
                """)
            // Waiting commits. AUTOINCREMENT keeps positions growing even after the newest row
            // is removed, so queue order is insertion order. `failure_order` ranks the rows by
            // when `last_error` was set, for `lastError()`.
            try db.execute(sql: """
                CREATE TABLE queue (
                    position INTEGER PRIMARY KEY AUTOINCREMENT,
                    sha TEXT UNIQUE NOT NULL,
                    stories TEXT NOT NULL,
                    body TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    failure_order INTEGER,
                    last_attempt_at REAL,
                    enqueued_at REAL NOT NULL
                )
                """)
            // Story look-ups. found = 0 is a negative entry (Tracker answered 404), with no details.
            try db.execute(sql: """
                CREATE TABLE story (
                    id INTEGER PRIMARY KEY,
                    found BOOLEAN NOT NULL,
                    project_id INTEGER,
                    story_type TEXT,
                    current_state TEXT,
                    name TEXT,
                    url TEXT,
                    fetched_at REAL NOT NULL
                )
                """)
            // Commit identifiers known to be on a story, whether or not the story is cached.
            try db.execute(sql: """
                CREATE TABLE story_commit (
                    story_id INTEGER NOT NULL,
                    commit_identifier TEXT NOT NULL,
                    PRIMARY KEY (story_id, commit_identifier)
                ) WITHOUT ROWID
                """)
            try db.execute(sql: """
                CREATE TABLE counter (
                    name TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                )
                """)
        }
        migrator.registerMigration("v2") { db in
            // Older versions recorded a commit whose stories all answered 404 as delivered
            // ("stories-missing"), and cached the 404, even when the 404 came from a wrong URL and
            // not from Tracker. Neither is trusted now: those commits are posted by the next replay
            // of their range (Tracker's comments keep anything already there from being posted
            // twice), and those stories are looked up again.
            try db.execute(sql: "DELETE FROM ledger WHERE outcome = 'stories-missing'")
            try db.execute(sql: "DELETE FROM story WHERE found = 0")
            // What the database belongs to: `tracker` is the identity of the tracker URL whose
            // ledger, queue and cache it holds (written by the first run that opens it).
            try db.execute(sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                )
                """)
        }
        migrator.registerMigration("v3") { db in
            // One comment per change: each queued commit's change (author, author date, message,
            // cherry-pick lines) as JSON, and its key, which the ledger row keeps once delivered.
            // `awaiting_push`: queued by post-commit, posted only once a push put it on a remote.
            try db.execute(sql: "ALTER TABLE queue ADD COLUMN change TEXT")
            try db.execute(sql: "ALTER TABLE queue ADD COLUMN change_key TEXT")
            try db.execute(sql: "ALTER TABLE queue ADD COLUMN awaiting_push INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "ALTER TABLE ledger ADD COLUMN change_key TEXT")
            try db.execute(sql: "CREATE INDEX ledger_change_key ON ledger (change_key) WHERE change_key IS NOT NULL")
        }
        return migrator
    }
}

/// The text form of a list of story ids in the `ledger` and `queue` tables: a JSON array (`[1,2]`).
enum StoryIDList {
    /// `[12,34]` for `[12, 34]`; `[]` for none.
    static func encode(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// The ids of a stored list; throws `StoreError` if the text is not a JSON array of integers.
    static func decode(_ text: String) throws -> [Int64] {
        do {
            return try JSONDecoder().decode([Int64].self, from: Data(text.utf8))
        } catch {
            throw StoreError("the state database holds an unreadable story list: \(text.prefix(80))")
        }
    }
}
