

/// What the commit-msg hook says about a message file's text: the near-miss warnings of the
/// message git is about to commit (comments and the scissors part stripped as git does), and
/// whether `--strict` refuses the commit. Shared by `commitbridge hook commit-msg` and the small
/// `commitbridge-commit-msg` binary that the installed hook prefers because it starts faster.
public struct CommitMessageCheck: Sendable, Equatable {
    /// The lines to print on stderr, already prefixed with `commitbridge: `.
    public let lines: [String]
    /// Whether the hook must exit 1 (strict mode and something to warn about).
    public let refuses: Bool

    /// Checks the bytes of a message file; `nil` bytes mean the file could not be read.
    public init(fileBytes: [UInt8]?, path: String, strict: Bool) {
        guard let bytes = fileBytes else {
            lines = ["commitbridge: cannot read the commit message file '\(path)'"]
            refuses = strict
            return
        }
        let message = CommitMessageCleanup.strip(String(decoding: bytes, as: UTF8.self))
        var lines = TagParser().parse(message).warnings.map { "commitbridge: warning: \($0)" }
        refuses = strict && !lines.isEmpty
        if refuses {
            lines.append("commitbridge: commit refused (--strict); fix the tags or commit with --no-verify")
        }
        self.lines = lines
    }
}

/// What git strips from a message file before committing (its default `strip` cleanup):
/// comment lines starting with `#`, and everything below the scissors line of `commit -v`.
public enum CommitMessageCleanup {
    public static func strip(_ text: String) -> String {
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# ") && line.contains(">8") { break }
            if line.hasPrefix("#") { continue }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }
}
