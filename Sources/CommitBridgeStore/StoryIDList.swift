import Foundation

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
