/// How a `POST /source_commits` ended.
public enum PostResult: Sendable, Hashable {
    /// Tracker accepted it; the response body (at most a few KiB kept).
    case posted(response: String)
    /// A retry was not needed: the commit was found on Tracker after an ambiguous failure.
    case alreadyApplied
}
