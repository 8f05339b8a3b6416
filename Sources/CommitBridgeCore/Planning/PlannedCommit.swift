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

    public init(sha: String, subject: String, references: [StoryReference], payload: SourceCommit,
                warnings: [String], revertRewritten: Bool, shortened: Bool) {
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
