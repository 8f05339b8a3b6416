/// Turns commits into payloads: parse, skip merges and untagged commits,
/// drop a revert's verbs, shorten long messages, attach the commit URL.
public struct CommitPlanner: Sendable {
    public let options: PlanningOptions
    public let urlBuilder: CommitURLBuilder
    private let parser = TagParser()

    public init(options: PlanningOptions, urlBuilder: CommitURLBuilder) {
        self.options = options
        self.urlBuilder = urlBuilder
    }

    /// Decides whether and how one commit is posted.
    /// The decision for a commit whose message `TagParser.mayFindTags(in:)` rules out, without
    /// reading the message: a merge (when merges are not posted) or an untagged commit.
    public func planWithoutTags(sha: String, parentCount: Int) -> CommitDecision {
        .skip(sha: sha, reason: parentCount > 1 && !options.includeMerges ? .merge : .untagged, warnings: [])
    }

    /// Whether `plan` needs the message of a commit with `parentCount` parents: not for a merge that
    /// is skipped anyway, nor for a message in which the parser can find nothing.
    public func needsMessage(parentCount: Int, message: UnsafeBufferPointer<UInt8>) -> Bool {
        (parentCount <= 1 || options.includeMerges) && TagParser.mayFindTags(in: message)
    }

    public func plan(_ commit: CommitSnapshot) -> CommitDecision {
        if commit.isMerge && !options.includeMerges {
            return .skip(sha: commit.sha, reason: .merge, warnings: [])
        }
        let parsed = parser.parse(commit.message)
        guard !parsed.isEmpty else {
            return .skip(sha: commit.sha, reason: .untagged, warnings: parsed.warnings)
        }
        var message = commit.message
        var posted = parsed
        var rewritten = false
        if commit.isRevert && !options.keepRevertVerbs && parsed.references.contains(where: { $0.action != .mention }) {
            message = RevertRewriter().rewrite(message, groups: parsed.groups)
            posted = parser.parse(message)
            rewritten = true
        }
        let shortened = MessageShortener(limit: options.messageLimit).shorten(message, groups: posted.groups)
        let payload = SourceCommit(
            commitID: commit.sha,
            message: shortened.text,
            url: urlBuilder.url(for: commit.sha),
            author: commit.authorName
        )
        return .post(PlannedCommit(
            sha: commit.sha,
            subject: commit.subject,
            references: posted.references,
            payload: payload,
            warnings: parsed.warnings,
            revertRewritten: rewritten,
            shortened: shortened.wasShortened
        ))
    }
}
