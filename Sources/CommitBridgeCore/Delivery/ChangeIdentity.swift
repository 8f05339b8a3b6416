// One change, many commit ids: what makes a rebased, amended or cherry-picked commit the same change
// as one delivered before, and how Tracker's comments show that a change is already there.

/// What a change is, apart from its commit id: its author, the time it was authored and its
/// message. A rebase, a cherry-pick or an amend that keeps the message gives a new commit id but
/// keeps all three, so two commits with the same key are one change written twice.
public struct ChangeIdentity: Sendable, Hashable, Codable {
    /// The author's e-mail address, lower-cased.
    public let authorEmail: String
    /// When the change was authored, seconds since 1970 (git's author date).
    public let authorTime: Int64
    /// A digest of the three: equal keys mean the same change.
    public let key: String
    /// The commits a `(cherry picked from commit <sha>)` line of the message names.
    public let pickedFrom: [String]

    public init(authorEmail: String, authorTime: Int64, message: String) {
        self.authorEmail = authorEmail.lowercased()
        self.authorTime = authorTime
        pickedFrom = Self.pickedFrom(in: message)
        key = Self.digest("\(self.authorEmail)\n\(authorTime)\n\(Self.normalized(message))")
    }

    /// The commit ids named by `(cherry picked from commit <sha>)` lines, as `git cherry-pick -x`
    /// writes them.
    public static func pickedFrom(in message: String) -> [String] {
        var found: [String] = []
        for line in message.split(separator: "\n", omittingEmptySubsequences: true) {
            let text = line.trimmingSpaces
            let prefix = "(cherry picked from commit "
            guard text.hasPrefix(prefix), text.hasSuffix(")") else { continue }
            let id = text.dropFirst(prefix.count).dropLast()
            if id.count >= 7, id.count <= 64, id.allSatisfy(\.isHexDigit) { found.append(id.lowercased()) }
        }
        return found
    }

    /// The message as it identifies a change: without the lines a cherry-pick adds, without
    /// trailing blanks on each line and without blank lines at its end.
    static func normalized(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingTrailingSpaces }
            .filter { !$0.hasPrefix("(cherry picked from commit ") }
            .joined(separator: "\n")
            .trimmingTrailingNewlines
    }

    /// Two 64-bit FNV-1a hashes with different starting points, as 32 hex digits: stable across
    /// runs and versions (Swift's `Hasher` is seeded per process).
    static func digest(_ text: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hex(first) + hex(second)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// A comment on a story, as Tracker lists it: the evidence that a change is there already.
public struct TrackerComment: Sendable, Hashable {
    /// The commit the comment was made for, when a source commit made it.
    public let commitIdentifier: String?
    /// The comment's text (a source commit's message, then its URL).
    public let text: String
    /// When the comment was made, seconds since 1970, when Tracker said.
    public let createdAt: Double?
    /// `text` as `ChangeIdentity.normalized` makes it, once: every commit of the story compares
    /// its message with it.
    let normalizedText: String

    public init(commitIdentifier: String?, text: String, createdAt: Double?) {
        self.commitIdentifier = commitIdentifier
        self.text = text
        self.createdAt = createdAt
        normalizedText = ChangeIdentity.normalized(text)
    }
}

/// Decides whether a commit's change was delivered already under another commit id.
public struct RewriteCheck: Sendable {
    /// Delivered commits by change key (from the ledger, and from commits of the same pass).
    public var deliveredByKey: [String: String]
    /// Commit ids known to be delivered (the ledger, the stories' comments, the same pass).
    public var deliveredCommits: Set<String>

    public init(deliveredByKey: [String: String] = [:], deliveredCommits: Set<String> = []) {
        self.deliveredByKey = deliveredByKey
        self.deliveredCommits = deliveredCommits
    }

    /// How far a comment may seem to come before the change was authored (clocks differ).
    public static let clockSlack: Double = 300

    /// The commit under which `change` (of commit `sha`, posted with `message`) was delivered
    /// already, or nil.
    /// - Parameters:
    ///   - comments: the comments of the commit's stories, fresh from Tracker.
    ///   - localChange: the change of a commit the local repository holds, nil for one it does not
    ///     hold; a comment for a commit held here is compared by that commit's change, exactly.
    public func original(of sha: String, change: ChangeIdentity, message: String, comments: [TrackerComment],
                         localChange: (String) -> ChangeIdentity?) -> String? {
        if let earlier = deliveredByKey[change.key], earlier != sha { return earlier }
        for picked in change.pickedFrom {
            if let delivered = deliveredCommits.first(where: { Self.sameCommit($0, picked) }) { return delivered }
            if let comment = comments.first(where: { $0.commitIdentifier.map { Self.sameCommit($0, picked) } ?? false }) {
                return comment.commitIdentifier
            }
        }
        let text = ChangeIdentity.normalized(message)
        guard !text.isEmpty else { return nil }
        for comment in comments {
            guard let identifier = comment.commitIdentifier, !Self.sameCommit(identifier, sha) else { continue }
            if let known = localChange(identifier) {
                if known.key == change.key { return identifier }
                continue
            }
            // A commit this repository does not hold (rewritten away, or from a clone that is gone):
            // the same message, in a comment made after the change was authored.
            guard comment.normalizedText.hasPrefix(text) else { continue }
            if let created = comment.createdAt, created + Self.clockSlack < Double(change.authorTime) { continue }
            return identifier
        }
        return nil
    }

    /// Full ids, or an abbreviated one (a cherry-pick line may abbreviate) against a full one.
    static func sameCommit(_ a: String, _ b: String) -> Bool {
        let a = a.lowercased(), b = b.lowercased()
        guard min(a.count, b.count) >= 7 else { return a == b }
        return a.count >= b.count ? a.hasPrefix(b) : b.hasPrefix(a)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text = text.dropFirst() }
        return text.trimmingTrailingSpaces
    }

    fileprivate var trimmingTrailingSpaces: Substring {
        var text = self
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while text.last == "\n" { text = text.dropLast() }
        return String(text)
    }
}
