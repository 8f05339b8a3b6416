import CommitBridgeCore
import Foundation
import GRDB

extension SQLiteDeliveryStore {
    /// Appends `commits` in the given order, in one transaction. A commit already queued or already
    /// in the ledger is skipped, as is a repeat within `commits`. Only `sha`, `stories`, `body`,
    /// `enqueuedAt`, `change` and `awaitingPush` are taken from each value: the position is
    /// assigned, attempts start at 0.
    @discardableResult
    public func enqueue(_ commits: [QueuedCommit]) throws -> Int {
        guard !commits.isEmpty else { return 0 }
        return try writer.write { db in
            let delivered = try db.cachedStatement(sql: "SELECT 1 FROM ledger WHERE sha = ?")
            let insert = try db.cachedStatement(sql: """
                INSERT INTO queue (sha, stories, body, enqueued_at, change, change_key, awaiting_push)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (sha) DO NOTHING
                """)
            var added = 0
            for commit in commits {
                if try Bool.fetchOne(delivered, arguments: [commit.sha]) != nil {
                    continue
                }
                try insert.execute(arguments: [
                    commit.sha, StoryIDList.encode(commit.stories), commit.body, commit.enqueuedAt,
                    commit.change.flatMap(ChangeColumn.encode), commit.change?.key, commit.awaitingPush,
                ])
                added += db.changesCount
            }
            return added
        }
    }

    /// The waiting commits, oldest first.
    public func queued() throws -> [QueuedCommit] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM queue ORDER BY position").map(Self.queuedCommit)
        }
    }

    /// Counts a POST attempt: attempts + 1 and `last_attempt_at = time`, committed before returning.
    /// Does nothing if `sha` is no longer queued (another process may have delivered it).
    public func markAttempt(sha: String, at time: Double) throws {
        try perform([.attempt(sha: sha, at: time)])
    }

    static func markAttempt(sha: String, at time: Double, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE queue SET attempts = attempts + 1, last_attempt_at = ? WHERE sha = ?")
            .execute(arguments: [time, sha])
    }

    /// Stores `error` as the commit's last error: on one line, at most 500 characters. Does nothing
    /// if `sha` is not queued.
    public func recordFailure(sha: String, error: String) throws {
        try writer.write { db in try Self.recordFailure(sha: sha, error: error, db) }
    }

    static func recordFailure(sha: String, error: String, _ db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE queue
            SET last_error = ?,
                failure_order = (SELECT COALESCE(MAX(failure_order), 0) + 1 FROM queue)
            WHERE sha = ?
            """).execute(arguments: [ErrorLine.make(error), sha])
    }

    /// The commits ready to post (not awaiting a push), oldest first, read on the database's own
    /// thread: the caller's task is suspended, not its thread.
    public func queuedCommits() async throws -> [QueuedCommit] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM queue WHERE awaiting_push = 0 ORDER BY position").map(Self.queuedCommit)
        }
    }

    /// Marks `shas` as pushed: delivery takes them from now on.
    public func releaseForDelivery(_ shas: [String]) throws {
        guard !shas.isEmpty else { return }
        try writer.write { db in
            let statement = try db.cachedStatement(sql: "UPDATE queue SET awaiting_push = 0 WHERE sha = ?")
            for sha in shas { try statement.execute(arguments: [sha]) }
        }
    }

    /// Removes `shas` from the queue without posting them (commits no branch holds any more: amended,
    /// rebased or reset away), and adds how many went to the `dropped-unreachable` counter.
    public func dropUnreachable(_ shas: [String]) throws {
        guard !shas.isEmpty else { return }
        try writer.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM queue WHERE sha = ?")
            var removed = 0
            for sha in shas {
                try statement.execute(arguments: [sha])
                removed += db.changesCount
            }
            try db.execute(sql: """
                INSERT INTO counter (name, value) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
                """, arguments: [Counter.droppedUnreachable, removed])
        }
    }

    /// How many queued commits left the queue unposted because no branch held them any more.
    public func droppedUnreachableCount() throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = ?", arguments: [Counter.droppedUnreachable]) ?? 0
        }
    }

    /// Removes `shas` from the queue (those not queued are ignored), in one transaction.
    public func removeFromQueue(_ shas: [String]) throws {
        guard !shas.isEmpty else { return }
        try writer.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM queue WHERE sha = ?")
            for sha in shas { try statement.execute(arguments: [sha]) }
        }
    }

    /// The commit at the head of the queue (the oldest), if any.
    public func oldestQueued() throws -> QueuedCommit? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM queue ORDER BY position LIMIT 1").map(Self.queuedCommit)
        }
    }

    /// How many commits are waiting.
    public func queueCount() throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queue") ?? 0
        }
    }

    /// The error of the queued commit that failed most recently, or nil if no queued commit has one.
    public func lastError() throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: """
                SELECT last_error FROM queue WHERE last_error IS NOT NULL
                ORDER BY failure_order DESC, position DESC LIMIT 1
                """)
        }
    }

    private static func queuedCommit(_ row: Row) throws -> QueuedCommit {
        QueuedCommit(
            sha: row["sha"],
            stories: try StoryIDList.decode(row["stories"]),
            body: row["body"],
            position: row["position"],
            attempts: row["attempts"],
            lastError: row["last_error"],
            enqueuedAt: row["enqueued_at"],
            change: (row["change"] as String?).flatMap(ChangeColumn.decode),
            awaitingPush: row["awaiting_push"])
    }
}

/// The `change` column: a `ChangeIdentity` as JSON.
enum ChangeColumn {
    static func encode(_ change: ChangeIdentity) -> String? {
        (try? JSONEncoder().encode(change)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func decode(_ text: String) -> ChangeIdentity? {
        try? JSONDecoder().decode(ChangeIdentity.self, from: Data(text.utf8))
    }
}
