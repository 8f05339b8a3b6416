import CommitBridgeCore

/// Shows dry-run decisions: JSON lines on stdout, or a readable listing with warnings on stderr.
struct DryRunPrinter {
    let json: Bool

    /// - Parameter effects: with a token, the predicted effect lines for a planned commit.
    func show(_ decision: CommitDecision, effects: ((PlannedCommit) -> [String])? = nil) {
        switch decision {
        case .post(let planned):
            if json {
                var line: [UInt8] = []
                planned.dryRunJSON.write(into: &line)
                StandardStreams.out(utf8: line)
            } else {
                var header = "\(planned.sha.prefix(7)) \(TerminalSafeText.line(String(planned.subject.prefix(72))))"
                if planned.revertRewritten { header += "  (revert: state verbs dropped)" }
                if planned.shortened { header += "  (message shortened)" }
                StandardStreams.out(header)
                if let effects {
                    for line in effects(planned) { StandardStreams.out("    " + line) }
                } else {
                    for reference in planned.references {
                        StandardStreams.out("    #\(reference.story) \(reference.action.rawValue)")
                    }
                }
            }
            for warning in planned.warnings {
                StandardStreams.err("warning: \(planned.sha.prefix(7)): \(warning)")
            }
        case .skip(let sha, _, let warnings):
            for warning in warnings {
                StandardStreams.err("warning: \(sha.prefix(7)) (not posted): \(warning)")
            }
        }
    }
}
