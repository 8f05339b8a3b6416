import CommitBridgeCore

/// The result of one delivery pass over the queue.
public struct DeliveryReport: Sendable, Hashable {
    /// Commits posted to Tracker in this pass.
    public var posted = 0
    /// Commits found already on Tracker (a story's comment carries them): recorded, not posted.
    public var alreadyOnTracker = 0
    /// Commits none of whose stories exist on Tracker: not posted, still queued (not a failure).
    public var waitingForStories: [String] = []
    /// For each story not found on Tracker, how many of those commits name it.
    public var waitingCommitsByStory: [Int64: Int] = [:]
    /// Commits that failed or were held back, with the reason; they stay queued.
    public var undelivered: [String: String] = [:]
    /// Story look-ups that went to Tracker (cache misses).
    public var storyLookups = 0
    /// The first authentication failure, which stops the pass.
    public var authenticationProblem: String?

    public init() {}

    /// Exit status: 1 when anything stays queued.
    public var allDelivered: Bool { undelivered.isEmpty && authenticationProblem == nil }

    /// One line for the commits that wait for stories, e.g. `stories not found on Tracker: #15
    /// (35 commits wait for it), #4 (10); …`; nil when none wait.
    public var waitingLine: String? {
        guard !waitingCommitsByStory.isEmpty else { return nil }
        let stories = waitingCommitsByStory.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let shown = stories.prefix(10).map { "#\($0.key) (\($0.value) commit\($0.value == 1 ? "" : "s"))" }
        let more = stories.count > 10 ? " and \(stories.count - 10) more" : ""
        return "stories not found on Tracker: \(shown.joined(separator: ", "))\(more); "
            + "their commits stay queued and are posted once a story exists ('commitbridge flush --retry-missing' asks again now)"
    }

    /// e.g. `delivered 12 commits (10 posted, 2 already on Tracker); 1 not posted: stories not found; 3 still queued`.
    public var line: String {
        var text = "delivered \(posted + alreadyOnTracker) commit\(posted + alreadyOnTracker == 1 ? "" : "s") (\(posted) posted, \(alreadyOnTracker) already on Tracker)"
        if !waitingForStories.isEmpty {
            text += "; \(waitingForStories.count) wait\(waitingForStories.count == 1 ? "s" : "") in the queue for stories not found on Tracker"
        }
        if !undelivered.isEmpty { text += "; \(undelivered.count) still queued (run 'commitbridge flush' to retry)" }
        text += "; \(storyLookups) story look-up\(storyLookups == 1 ? "" : "s")"
        return text
    }
}
