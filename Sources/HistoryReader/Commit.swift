/// A commit, copied out of its raw object (or out of libgit2) into plain values.
public struct Commit: Sendable, Hashable {
    /// The commit id, 40 lowercase hexadecimal digits.
    public let sha: String
    /// The full raw message (nothing stripped), converted to UTF-8 from `messageEncoding`.
    public let message: String
    /// The commit's `encoding` header, if it has one (e.g. `ISO-8859-1`).
    public let messageEncoding: String?
    /// The author's name, decoded like the message.
    public let authorName: String
    /// The author's e-mail address, decoded like the message.
    public let authorEmail: String
    /// Author date, seconds since the Unix epoch.
    public let authorTime: Int64
    /// Committer date, seconds since the Unix epoch.
    public let committerTime: Int64
    /// Number of parents: 0 for a root commit, 2 or more for a merge.
    public let parentCount: Int

    /// Creates a commit value; the reader and GitKit build these, tests and callers may build their own.
    public init(
        sha: String,
        message: String,
        messageEncoding: String?,
        authorName: String,
        authorEmail: String,
        authorTime: Int64,
        committerTime: Int64,
        parentCount: Int
    ) {
        self.sha = sha
        self.message = message
        self.messageEncoding = messageEncoding
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authorTime = authorTime
        self.committerTime = committerTime
        self.parentCount = parentCount
    }

    /// The first non-empty line of the message, without its line ending.
    public var summary: String {
        let lines = message.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard let first = lines.first(where: { !$0.allSatisfy(\.isWhitespace) }) else { return "" }
        var line = Substring(first)
        while let last = line.last, last == "\r" || last.isWhitespace { line.removeLast() }
        return String(line)
    }

    /// Whether the commit has more than one parent.
    public var isMerge: Bool { parentCount > 1 }
}
