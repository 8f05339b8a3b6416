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

    public init(sha: String, message: String, authorName: String, authorEmail: String, parentCount: Int) {
        self.sha = sha
        self.message = message
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.parentCount = parentCount
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
