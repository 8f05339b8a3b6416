import GRDB

/// Raised while opening when the state database file cannot be used as a database at all, so that
/// it is moved aside rather than reported.
struct UnreadableDatabase: Error {
    /// Why, in SQLite's words.
    let reason: String

    /// Whether an SQLite error means the file itself is damaged (as opposed to locked, missing or
    /// not permitted, which moving the file would not cure).
    static func isDamage(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
    }
}
