import CommitBridgeCore
import GRDB

extension SQLiteDeliveryStore {
    /// Appends `commits` in the given order, in one transaction. A commit already queued or already
    /// in the ledger is skipped, as is a repeat within `commits`. Only `sha`, `stories`, `body` and
    /// `enqueuedAt` are taken from each value: the position is assigned, attempts start at 0.
    @discardableResult
    public func enqueue(_ commits: [QueuedCommit]) throws -> Int {
        guard !commits.isEmpty else { return 0 }
        return try writer.write { db in
            let delivered = try db.cachedStatement(sql: "SELECT 1 FROM ledger WHERE sha = ?")
            let insert = try db.cachedStatement(sql: """
                INSERT INTO queue (sha, stories, body, enqueued_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (sha) DO NOTHING
                """)
            var added = 0
            for commit in commits {
                if try Bool.fetchOne(delivered, arguments: [commit.sha]) != nil {
                    continue
                }
                try insert.execute(arguments: [
                    commit.sha, StoryIDList.encode(commit.stories), commit.body, commit.enqueuedAt,
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

    /// `queued()` on the database's own thread: the caller's task is suspended, not its thread.
    public func queuedCommits() async throws -> [QueuedCommit] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM queue ORDER BY position").map(Self.queuedCommit)
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
            enqueuedAt: row["enqueued_at"])
    }
}
