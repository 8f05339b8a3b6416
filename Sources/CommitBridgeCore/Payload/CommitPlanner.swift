// Planning: what happens to each commit of a range (posted with this payload, or skipped and
// why) and the options that decide it.

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
            shortened: shortened.wasShortened,
            change: commit.change
        ))
    }
}

/// Choices that decide which commits are posted and how their messages are written.
public struct PlanningOptions: Sendable, Hashable {
    /// Post merge commits too (`--merges`). Off by default: merges repeat their branch's tags.
    public var includeMerges: Bool
    /// Keep state verbs in a revert's tag groups. Off by default: a revert must not move a story forward.
    public var keepRevertVerbs: Bool
    /// The comment length limit, in characters.
    public var messageLimit: Int

    public init(includeMerges: Bool = false, keepRevertVerbs: Bool = false, messageLimit: Int = MessageShortener.trackerCommentLimit) {
        self.includeMerges = includeMerges
        self.keepRevertVerbs = keepRevertVerbs
        self.messageLimit = messageLimit
    }
}

/// What to do with one commit of a range.
public enum CommitDecision: Sendable, Hashable {
    case post(PlannedCommit)
    case skip(sha: String, reason: SkipReason, warnings: [String])
}

/// Why a commit is not posted.
public enum SkipReason: String, Sendable, Hashable, CaseIterable {
    /// A merge commit, and `--merges` was not given.
    case merge
    /// The message references no story.
    case untagged
}

/// A commit that will be posted, with the payload exactly as it will be sent.
public struct PlannedCommit: Sendable, Hashable {
    /// The full commit id.
    public let sha: String
    /// The commit's subject line, for listings.
    public let subject: String
    /// The stories the posted message references, with the action Tracker will take.
    public let references: [StoryReference]
    /// The request body for `POST /source_commits`.
    public let payload: SourceCommit
    /// Near-miss tag warnings from the original message.
    public let warnings: [String]
    /// True when this is a revert whose state verbs were dropped.
    public let revertRewritten: Bool
    /// True when the message was shortened to fit Tracker's limit.
    public let shortened: Bool
    /// The change the commit carries (author, author date, message), to know its rewritten copies.
    public let change: ChangeIdentity?

    public init(sha: String, subject: String, references: [StoryReference], payload: SourceCommit,
                warnings: [String], revertRewritten: Bool, shortened: Bool, change: ChangeIdentity? = nil) {
        self.change = change
        self.sha = sha
        self.subject = subject
        self.references = references
        self.payload = payload
        self.warnings = warnings
        self.revertRewritten = revertRewritten
        self.shortened = shortened
    }

    /// The dry-run JSON line: `{"commit":…,"references":[…],"payload":{"source_commit":{…}}}`.
    public var dryRunJSON: JSONValue {
        .object([
            ("commit", .string(sha)),
            ("references", ReferenceJSON.array(references)),
            ("payload", payload.json),
        ])
    }
}
