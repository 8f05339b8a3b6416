// A commit in and a payload out: the parts of a git commit the planner reads, and the
// `source_commit` body it posts.

/// The parts of a git commit that commitbridge needs, independent of how they were read.
public struct CommitSnapshot: Sendable, Hashable {
    /// The full 40-hex commit id.
    public let sha: String
    /// The commit message as UTF-8.
    public let message: String
    /// The author's name.
    public let authorName: String
    /// The author's email.
    public let authorEmail: String
    /// How many parents the commit has (2 or more: a merge).
    public let parentCount: Int
    /// The author date, seconds since 1970.
    public let authorTime: Int64

    public init(sha: String, message: String, authorName: String, authorEmail: String, parentCount: Int, authorTime: Int64 = 0) {
        self.sha = sha
        self.message = message
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.parentCount = parentCount
        self.authorTime = authorTime
    }

    /// What makes this commit the same change as a rewritten copy of it.
    public var change: ChangeIdentity {
        ChangeIdentity(authorEmail: authorEmail, authorTime: authorTime, message: message)
    }

    /// The first line of the message.
    public var subject: String {
        // Found over UTF-8 bytes: splitting by Characters walks grapheme clusters, which cost a tenth
        // of a dry run over a real history.
        let utf8 = message.utf8
        guard let newline = utf8.firstIndex(of: UInt8(ascii: "\n")) else { return message }
        return String(message[..<newline])
    }

    /// True for a merge commit.
    public var isMerge: Bool { parentCount > 1 }

    /// True when the subject says this commit reverts another (`Revert "…"`).
    public var isRevert: Bool { subject.hasPrefix("Revert \"") }
}

/// The body of `POST /source_commits`: `{"source_commit":{commit_id, message, url?, author}}`.
public struct SourceCommit: Sendable, Hashable {
    public let commitID: String
    public let message: String
    /// Left out of the JSON when nil.
    public let url: String?
    public let author: String

    public init(commitID: String, message: String, url: String?, author: String) {
        self.commitID = commitID
        self.message = message
        self.url = url
        self.author = author
    }

    /// The request body as an ordered JSON value.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("commit_id", .string(commitID)),
            ("message", .string(message)),
        ]
        if let url { fields.append(("url", .string(url))) }
        fields.append(("author", .string(author)))
        return .object([("source_commit", .object(fields))])
    }
}
