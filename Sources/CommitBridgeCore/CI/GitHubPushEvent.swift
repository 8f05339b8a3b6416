#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: the small commit-msg binary starts faster without ICU
#else
import Foundation
#endif

/// The fields of a GitHub `push` event payload that decide the range. Every field is optional here
/// (JSON `null` counts as absent); a field of the wrong type is an error, never a guess.
struct GitHubPushEvent: Decodable, Sendable, Equatable {
    var ref: String?
    var before: String?
    var after: String?
    var created: Bool?
    var deleted: Bool?
    var forced: Bool?

    /// Why an event file was refused, in words for `CIRangeError.unreadableEvent`.
    struct Problem: Error, Equatable {
        var reason: String
    }

    private enum CodingKeys: String, CodingKey {
        case ref, before, after, created, deleted, forced
    }

    init(ref: String? = nil, before: String? = nil, after: String? = nil,
         created: Bool? = nil, deleted: Bool? = nil, forced: Bool? = nil) {
        self.ref = ref
        self.before = before
        self.after = after
        self.created = created
        self.deleted = deleted
        self.forced = forced
    }

    init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<CodingKeys>
        do {
            container = try decoder.container(keyedBy: CodingKeys.self)
        } catch DecodingError.typeMismatch, DecodingError.valueNotFound {
            // An array, a string, a number, true or false (type mismatch), or null (no value).
            throw Problem(reason: "not a JSON object")
        }
        func text(_ key: CodingKeys) throws -> String? {
            do {
                return try container.decodeIfPresent(String.self, forKey: key)
            } catch DecodingError.typeMismatch {
                throw Problem(reason: "\"\(key.stringValue)\" is not a string")
            }
        }
        func flag(_ key: CodingKeys) throws -> Bool? {
            do {
                return try container.decodeIfPresent(Bool.self, forKey: key)
            } catch DecodingError.typeMismatch {
                throw Problem(reason: "\"\(key.stringValue)\" is not true or false")
            }
        }
        ref = try text(.ref)
        before = try text(.before)
        after = try text(.after)
        created = try flag(.created)
        deleted = try flag(.deleted)
        forced = try flag(.forced)
    }

    /// Decodes an event file's bytes; any failure is a `Problem` (a failure other than a wrong type,
    /// such as bad syntax or invalid UTF-8 in a string, is "not valid JSON").
    static func parse(_ bytes: [UInt8]) throws(Problem) -> GitHubPushEvent {
        do {
            return try JSONDecoder().decode(GitHubPushEvent.self, from: Data(bytes))
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(reason: bytes.isEmpty ? "the file is empty" : "not valid JSON")
        }
    }
}
