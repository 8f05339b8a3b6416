import CommitBridgeCore

/// The settings in force for one run, each with where it came from.
public struct Configuration: Sendable {
    /// Tracker's public API, used when nothing else is configured.
    public static let defaultTrackerURL = "https://www.pivotaltracker.com/services/v5"

    public let tracker: ResolvedSetting<TrackerEndpoint>
    /// nil when no token is configured anywhere (a dry run needs none).
    public let token: ResolvedSetting<TrackerToken>?
    /// The commit URL template, or nil to derive it from `origin`.
    public let commitURLTemplate: ResolvedSetting<String>?
    /// Branch glob patterns for post-receive and ci; empty means all branches.
    public let branches: ResolvedSetting<[String]>
    public let stateDirectory: ResolvedSetting<String>
    /// Problems that do not stop the run (a token file others can read), one line each.
    public let warnings: [String]

    public init(tracker: ResolvedSetting<TrackerEndpoint>, token: ResolvedSetting<TrackerToken>?,
                commitURLTemplate: ResolvedSetting<String>?, branches: ResolvedSetting<[String]>,
                stateDirectory: ResolvedSetting<String>, warnings: [String] = []) {
        self.tracker = tracker
        self.token = token
        self.commitURLTemplate = commitURLTemplate
        self.branches = branches
        self.stateDirectory = stateDirectory
        self.warnings = warnings
    }
}
