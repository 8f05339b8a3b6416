/// GitLab CI: `CI_COMMIT_BEFORE_SHA` and `CI_COMMIT_SHA` decide the range; see docs/ci.md.
extension CIRangeDetector {
    func detectGitLabCI() throws(CIRangeError) -> CIRange {
        if value("CI_COMMIT_TAG") != nil {
            return .nothing(reason: "tag pipeline")
        }
        let source = value("CI_PIPELINE_SOURCE")
        if source == "merge_request_event" || source == "external_pull_request_event" {
            return .nothing(reason: "merge request pipelines are not posted: post after the merge, on the branch pipeline")
        }
        let sha = try commitID(try required("CI_COMMIT_SHA"), from: "CI_COMMIT_SHA")
        guard let beforeText = value("CI_COMMIT_BEFORE_SHA"), !CommitIDSyntax.isNull(beforeText) else {
            return .revisions([sha], provider: .gitlabCI, note: wholeHistoryNote(source: source))
        }
        let before = try commitID(beforeText, from: "CI_COMMIT_BEFORE_SHA")
        return .revisions(["\(before)..\(sha)"], provider: .gitlabCI, note: nil)
    }

    /// GitLab gives no "before" commit for a branch's first pipeline, nor for pipelines not started by
    /// a push (schedules, the web form, the API…).
    private func wholeHistoryNote(source: String?) -> String {
        guard let source, source != "push" else { return CIRangeDetector.newBranchNote }
        return "\(source) pipeline: every commit not already delivered is considered; "
            + "the ledger and Tracker's comments prevent duplicates"
    }
}
