import CommitBridgeCore

/// Counts from one pass over a range, for the human summary on stderr.
public struct ReplaySummary: Sendable, Hashable {
    public var scanned = 0
    public var tagged = 0
    public var skippedMerges = 0
    public var skippedUntagged = 0
    public var reverts = 0
    public var shortened = 0
    public var warnings = 0

    public init() {}

    mutating func count(_ decision: CommitDecision) {
        scanned += 1
        switch decision {
        case .post(let planned):
            tagged += 1
            if planned.revertRewritten { reverts += 1 }
            if planned.shortened { shortened += 1 }
            warnings += planned.warnings.count
        case .skip(_, let reason, let skipWarnings):
            warnings += skipWarnings.count
            switch reason {
            case .merge: skippedMerges += 1
            case .untagged: skippedUntagged += 1
            }
        }
    }

    /// e.g. `scanned 12 commits: 5 tagged, 6 untagged, 1 merge skipped`.
    public var line: String {
        var parts = ["\(tagged) tagged", "\(skippedUntagged) untagged"]
        if skippedMerges > 0 { parts.append("\(skippedMerges) merge\(skippedMerges == 1 ? "" : "s") skipped (use --merges to post them)") }
        if reverts > 0 { parts.append("\(reverts) revert\(reverts == 1 ? "" : "s") with verbs dropped") }
        if shortened > 0 { parts.append("\(shortened) long message\(shortened == 1 ? "" : "s") shortened") }
        if warnings > 0 { parts.append("\(warnings) tag warning\(warnings == 1 ? "" : "s")") }
        return "scanned \(scanned) commit\(scanned == 1 ? "" : "s"): " + parts.joined(separator: ", ")
    }
}
