import CommitBridgeCore
import GRDB

extension SQLiteDeliveryStore {
    /// SQLite limits the number of `?` in a statement; ledger queries go in batches of this size.
    static let lookupBatchSize = 500

    /// Which of `shas` the ledger already holds.
    public func deliveredSHAs(among shas: [String]) throws -> Set<String> {
        guard !shas.isEmpty else { return [] }
        return try writer.read { db in
            var delivered = Set<String>()
            var start = shas.startIndex
            while start < shas.endIndex {
                let end = min(start + Self.lookupBatchSize, shas.endIndex)
                let batch = Array(shas[start..<end])
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ",")
                let found = try String.fetchAll(
                    db, sql: "SELECT sha FROM ledger WHERE sha IN (\(marks))",
                    arguments: StatementArguments(batch))
                delivered.formUnion(found)
                start = end
            }
            return delivered
        }
    }

    /// For each of `keys` that a delivered commit carries: that commit.
    public func deliveredChanges(_ keys: [String]) throws -> [String: String] {
        guard !keys.isEmpty else { return [:] }
        return try writer.read { db in
            let statement = try db.cachedStatement(sql: "SELECT sha FROM ledger WHERE change_key = ? ORDER BY delivered_at LIMIT 1")
            var found: [String: String] = [:]
            for key in Set(keys) {
                if let sha = try String.fetchOne(statement, arguments: [key]) { found[key] = sha }
            }
            return found
        }
    }

    /// The ledger row of `sha`, if it was delivered.
    public func ledgerEntry(_ sha: String) throws -> LedgerEntry? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM ledger WHERE sha = ?", arguments: [sha]) else { return nil }
            return LedgerEntry(sha: row["sha"], stories: try StoryIDList.decode(row["stories"]),
                               outcome: DeliveryOutcome(rawValue: row["outcome"]) ?? .posted,
                               response: row["response"], deliveredAt: row["delivered_at"])
        }
    }

    /// How many commits the ledger holds.
    public func ledgerCount() throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger") ?? 0
        }
    }

    /// In one transaction: adds the ledger row (an existing one is kept as it is), removes the
    /// commit from the queue if it is there, and records `sha` among each story's commit identifiers.
    public func recordDelivered(sha: String, stories: [Int64], outcome: DeliveryOutcome, response: String?,
                                at time: Double) throws {
        try perform([.delivered(sha: sha, stories: stories, outcome: outcome, response: response, at: time)])
    }

    /// Whether a transaction of `writes` must reach the disk before it counts as done
    /// (`synchronous = FULL`): one that marks an attempt must, because the mark is what keeps a
    /// commit from being posted twice, after a crash or a power cut. Ledger rows and story-cache
    /// entries alone need not (`NORMAL`: in the write-ahead log, so a killed process loses none of
    /// them; a power cut may). A lost row leaves its commit queued with its durable attempt mark, and
    /// the next pass finds the commit among its stories' comments instead of posting it again.
    static func mustSync(_ writes: [DeliveryWrite]) -> Bool {
        writes.contains { write in
            if case .attempt = write { return true }
            return false
        }
    }

    /// Performs `writes` in order in one transaction (one `fdatasync` for all of them, when
    /// `mustSync` says it needs one).
    public func perform(_ writes: [DeliveryWrite]) throws {
        guard !writes.isEmpty else { return }
        if Self.mustSync(writes) {
            try writer.write { db in try Self.apply(writes, db) }
        } else {
            try writeWithoutSync { db in try Self.apply(writes, db) }
        }
    }

    /// `perform(_:)` on the database's own thread: the caller's task is suspended, not its thread.
    public func write(_ writes: [DeliveryWrite]) async throws {
        guard !writes.isEmpty else { return }
        let sync = Self.mustSync(writes)
        try await writer.writeWithoutTransaction { db in
            if !sync { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            defer { if !sync { try? db.execute(sql: "PRAGMA synchronous = FULL") } }
            try db.inTransaction {
                try Self.apply(writes, db)
                return .commit
            }
        }
    }

    /// Runs `body` in one transaction whose commit does not wait for the disk (`synchronous =
    /// NORMAL` for that transaction only; the connection is otherwise `FULL`).
    func writeWithoutSync<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
            var result: T?
            try db.inTransaction {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    private static func apply(_ writes: [DeliveryWrite], _ db: Database) throws {
            for write in writes {
                switch write {
                case .attempt(let sha, let time):
                    try Self.markAttempt(sha: sha, at: time, db)
                case .delivered(let sha, let stories, let outcome, let response, let time):
                    // Cached statements: a pass writes hundreds of these, and compiling the SQL each
                    // time was a visible share of a fast delivery's time.
                    try db.cachedStatement(sql: """
                        INSERT INTO ledger (sha, stories, outcome, response, delivered_at, change_key)
                        VALUES (?, ?, ?, ?, ?, (SELECT change_key FROM queue WHERE sha = ?))
                        ON CONFLICT (sha) DO NOTHING
                        """).execute(arguments: [sha, StoryIDList.encode(stories), outcome.rawValue,
                                             response.map { SecretRedactor.redact($0) }, time, sha])
                    try db.cachedStatement(sql: "DELETE FROM queue WHERE sha = ?").execute(arguments: [sha])
                    try Self.addCommitIdentifier(sha, toStories: stories, db)
                case .failed(let sha, let error):
                    try Self.recordFailure(sha: sha, error: error, db)
                case .cachedStory(let id, let lookup, let time):
                    try Self.storeStory(id, lookup: lookup, at: time, db)
                }
            }
    }

    /// Inserts a `story_commit` row for each story, keeping rows already there.
    static func addCommitIdentifier(_ identifier: String, toStories stories: [Int64], _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO story_commit (story_id, commit_identifier) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for story in stories {
            try statement.execute(arguments: [story, identifier])
        }
    }
}
