import CommitBridgeCore

/// Collects the outcome of concurrent posts into one report.
actor DeliveryTracker {
    private var report = DeliveryReport()
    private(set) var authenticationProblem: String?
    /// The first answer showing the tracker URL is wrong, which stops the pass too.
    private(set) var configurationProblem: String?

    /// Why the pass stops posting, if it does.
    var stopProblem: String? { authenticationProblem ?? configurationProblem }

    func posted(_ sha: String) { report.posted += 1 }
    func alreadyThere(_ sha: String) { report.alreadyOnTracker += 1 }
    func missing(_ sha: String, stories: [Int64]) {
        report.waitingForStories.append(sha)
        for story in stories { report.waitingCommitsByStory[story, default: 0] += 1 }
    }
    func fail(_ sha: String, _ problem: String) { report.undelivered[sha] = problem }

    /// A commit counted as delivered whose ledger row could not be written: reported as undelivered.
    func ledgerWriteFailed(_ sha: String, outcome: DeliveryOutcome, _ problem: String) {
        if outcome == .posted { report.posted -= 1 } else { report.alreadyOnTracker -= 1 }
        report.undelivered[sha] = problem
    }

    func authenticationFailed(_ problem: String) {
        if authenticationProblem == nil { authenticationProblem = problem }
    }

    func configurationFailed(_ problem: String) {
        if configurationProblem == nil { configurationProblem = problem }
    }

    /// Copies the counts into `target`, keeping its look-up count.
    func fill(_ target: inout DeliveryReport) {
        target.posted = report.posted
        target.alreadyOnTracker = report.alreadyOnTracker
        target.waitingForStories = report.waitingForStories
        target.waitingCommitsByStory = report.waitingCommitsByStory
        target.undelivered.merge(report.undelivered) { _, new in new }
        target.authenticationProblem = authenticationProblem
    }
}
