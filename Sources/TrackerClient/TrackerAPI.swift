import Foundation
import CommitBridgeCore

/// The Tracker operations commitbridge uses, as swappable closures (tests may replace any of them).
public struct TrackerAPI: Sendable {
    /// `POST /source_commits` with a ready JSON body; returns the response body.
    /// `stillNeeded` is asked before every retry of a failure that Tracker may have applied
    /// (a 5xx, a timeout, a dropped connection): when it answers false the post is not repeated
    /// and the call returns `.alreadyApplied`.
    public var postSourceCommit: @Sendable (_ body: String, _ stillNeeded: @escaping @Sendable () async throws -> Bool) async throws -> PostResult
    /// `GET /stories/{id}` with its comments' commit identifiers nested (or fetched after it, from a
    /// server that does not nest them); `.missing` when Tracker answers 404.
    public var story: @Sendable (_ id: Int64) async throws -> StoryLookup
    /// `GET /projects/{p}/stories/{s}/comments`: the commit identifiers found among the comments.
    public var commitIdentifiers: @Sendable (_ projectID: Int64, _ storyID: Int64) async throws -> Set<String>
    /// `GET /me`: the name of the token's owner.
    public var me: @Sendable () async throws -> String

    public init(
        postSourceCommit: @escaping @Sendable (String, @escaping @Sendable () async throws -> Bool) async throws -> PostResult,
        story: @escaping @Sendable (Int64) async throws -> StoryLookup,
        commitIdentifiers: @escaping @Sendable (Int64, Int64) async throws -> Set<String>,
        me: @escaping @Sendable () async throws -> String
    ) {
        self.postSourceCommit = postSourceCommit
        self.story = story
        self.commitIdentifiers = commitIdentifiers
        self.me = me
    }
}

/// How a `POST /source_commits` ended.
public enum PostResult: Sendable, Hashable {
    /// Tracker accepted it; the response body (at most a few KiB kept).
    case posted(response: String)
    /// A retry was not needed: the commit was found on Tracker after an ambiguous failure.
    case alreadyApplied
}

/// `GET /stories/{id}`'s answer, the fields commitbridge reads.
struct StoryResource: Decodable {
    let id: Int64
    let projectID: Int64
    let storyType: String
    let currentState: String
    let name: String?
    let url: String?
    /// Present when the request asked for nested comments and the server honoured it.
    let comments: [CommentResource]?

    enum CodingKeys: String, CodingKey {
        case id, name, url, comments
        case projectID = "project_id"
        case storyType = "story_type"
        case currentState = "current_state"
    }

    var record: StoryRecord {
        StoryRecord(id: id, projectID: projectID, type: StoryType(rawValue: storyType) ?? .feature,
                    state: StoryState(rawValue: currentState) ?? .unstarted, name: name ?? "", url: url)
    }
}

/// One comment of `GET …/comments`.
struct CommentResource: Decodable {
    let commitIdentifier: String?
    let text: String?
    let createdAt: String?

    enum CodingKeys: String, CodingKey {
        case text
        case commitIdentifier = "commit_identifier"
        case createdAt = "created_at"
    }

    /// The comment as evidence of what is on the story (`created_at` is ISO 8601).
    var comment: TrackerComment {
        TrackerComment(commitIdentifier: commitIdentifier, text: text ?? "",
                       createdAt: createdAt.flatMap { Self.dates.date(from: $0) }?.timeIntervalSince1970)
    }

    nonisolated(unsafe) static let dates = ISO8601DateFormatter()
}

/// `GET /me`'s answer.
struct PersonResource: Decodable {
    let name: String?
}

/// What Tracker answers to `POST /source_commits`: the stories the commit touched, as they are now.
public enum PostAnswer {
    /// The stories in a POST's answer (a JSON array of story resources); empty when it holds none
    /// or is not such an array (a cut answer, say).
    public static func stories(in response: String) -> [StoryRecord] {
        guard let stories = try? JSONDecoder().decode([StoryResource].self, from: Data(response.utf8)) else { return [] }
        return stories.map(\.record)
    }
}
