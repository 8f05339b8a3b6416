/// The counters `GET /__sim/stats` reports.
public struct SimulatorStatistics: Codable, Sendable, Equatable {
    /// API requests under `/services/v5`, whatever their answer.
    public var requests = 0
    /// `POST /source_commits` requests that were applied (including those answered 502 afterwards).
    public var sourceCommits = 0
    /// Comments added.
    public var comments = 0
    /// Comments added for a (story, commit) pair that already had a comment.
    public var duplicateComments = 0
    /// `GET /stories/{id}` requests that reached the story table (found or not).
    public var storyLookups = 0
    /// Requests answered 429.
    public var rateLimited = 0
    /// Requests answered with an injected 500, 502 or 503.
    public var injectedFailures = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case requests, comments
        case sourceCommits = "source_commits"
        case duplicateComments = "duplicate_comments"
        case storyLookups = "story_lookups"
        case rateLimited = "rate_limited"
        case injectedFailures = "injected_failures"
    }
}
