import CommitBridgeCore
import GRDB

extension SQLiteDeliveryStore {
    /// Names of the `counter` rows.
    enum Counter {
        static let hits = "cache_hits"
        static let misses = "cache_misses"
        static let droppedUnreachable = "dropped_unreachable"
    }

    /// The cached look-up of story `id` if it was fetched no more than `maxAge` seconds before `now`;
    /// otherwise nil. Counts a hit or a miss in the same transaction. A found story comes with every
    /// commit identifier known for it, including those recorded by `recordDelivered` since.
    /// An entry stamped later than `now` (the clock went back) counts as expired.
    public func cachedStory(_ id: Int64, maxAge: Double, now: Double) throws -> StoryLookup? {
        try cachedStories([id], maxAge: maxAge, now: now)[id]
    }

    /// `cachedStory` for every id in one transaction, which does not wait for the disk: the
    /// counters are statistics.
    public func cachedStories(_ ids: [Int64], maxAge: Double, now: Double) throws -> [Int64: StoryLookup] {
        guard !ids.isEmpty else { return [:] }
        return try writeWithoutSync { db in
            var found: [Int64: StoryLookup] = [:]
            for id in ids {
                let lookup = try Self.freshLookup(id, maxAge: maxAge, now: now, db)
                try Self.increment(lookup == nil ? Counter.misses : Counter.hits, db)
                if let lookup { found[id] = lookup }
            }
            return found
        }
    }

    /// The stories among `ids` with a negative entry fetched no more than `maxAge` seconds before `now`.
    public func knownMissing(_ ids: [Int64], maxAge: Double, now: Double) throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return try writer.read { db in
            let statement = try db.cachedStatement(sql: "SELECT fetched_at FROM story WHERE id = ? AND found = 0")
            return Set(try ids.filter { id in
                guard let fetchedAt = try Double.fetchOne(statement, arguments: [id]) else { return false }
                return fetchedAt <= now && now - fetchedAt <= maxAge
            })
        }
    }

    /// Replaces the cache entry of story `id` with `lookup`, fetched at `time`. For a found story,
    /// its commit identifiers are added to those already known (none are removed).
    public func storeStory(_ id: Int64, lookup: StoryLookup, at time: Double) throws {
        try perform([.cachedStory(id: id, lookup: lookup, at: time)])
    }

    static func storeStory(_ id: Int64, lookup: StoryLookup, at time: Double, _ db: Database) throws {
        switch lookup {
        case let .found(record, commitIdentifiers, _):
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO story
                        (id, found, project_id, story_type, current_state, name, url, fetched_at)
                    VALUES (?, 1, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, record.projectID, record.type.rawValue, record.state.rawValue,
                            record.name, record.url, time])
            for identifier in commitIdentifiers.sorted() {
                try addCommitIdentifier(identifier, toStories: [id], db)
            }
        case .missing:
            try db.execute(
                sql: "INSERT OR REPLACE INTO story (id, found, fetched_at) VALUES (?, 0, ?)",
                arguments: [id, time])
        }
    }

    /// Stories cached (found or missing, fresh or not) and the hit and miss counters.
    public func cacheStatistics() throws -> CacheStatistics {
        try writer.read { db in
            let entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM story") ?? 0
            let counter = "SELECT value FROM counter WHERE name = ?"
            let hits = try Int.fetchOne(db, sql: counter, arguments: [Counter.hits]) ?? 0
            let misses = try Int.fetchOne(db, sql: counter, arguments: [Counter.misses]) ?? 0
            return CacheStatistics(entries: entries, hits: hits, misses: misses)
        }
    }

    /// The entry of story `id` if present, fresh and readable. A found entry whose type or state
    /// this version does not know is treated as absent, so it gets fetched again.
    private static func freshLookup(_ id: Int64, maxAge: Double, now: Double, _ db: Database) throws -> StoryLookup? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM story WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let fetchedAt: Double = row["fetched_at"]
        guard fetchedAt <= now, now - fetchedAt <= maxAge else { return nil }
        guard row["found"] as Bool else { return .missing }
        guard let projectID = row["project_id"] as Int64?,
              let type = (row["story_type"] as String?).flatMap(StoryType.init(rawValue:)),
              let state = (row["current_state"] as String?).flatMap(StoryState.init(rawValue:)),
              let name = row["name"] as String?
        else { return nil }
        let record = StoryRecord(id: id, projectID: projectID, type: type, state: state, name: name,
                                 url: row["url"])
        let identifiers = try String.fetchAll(
            db, sql: "SELECT commit_identifier FROM story_commit WHERE story_id = ?", arguments: [id])
        return .found(record, commitIdentifiers: Set(identifiers))
    }

    private static func increment(_ name: String, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO counter (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1",
            arguments: [name])
    }
}
