#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: the small commit-msg binary starts faster without ICU

// What a CI run asks for: the range, the provider it came from, and the ways detection fails.

/// Which commits a CI job should post.
public enum CIRange: Sendable, Hashable {
    /// The commits to consider: `<before>..<after>`, `<after> ^<before>` or `<after>` for the CI cases,
    /// or what `--range` held. `note` explains a range that is wider than the push itself, for the log.
    case revisions(RevisionRange, provider: CIProvider, note: String?)
    /// Nothing to post (a branch deletion, a tag push, a merge request pipeline…), with the reason.
    case nothing(reason: String)
}

/// Where a range came from: a CI service recognised from its variables, or the `--range` flag.
public enum CIProvider: String, Sendable, Hashable, CaseIterable {
    /// `GITHUB_ACTIONS=true`.
    case githubActions = "GitHub Actions"
    /// `GITLAB_CI=true`.
    case gitlabCI = "GitLab CI"
    /// The range was given with `--range`.
    case explicit = "--range"
}

#else
import Foundation
#endif

/// Why no range could be worked out. Each description is one line, ready for stderr.
public enum CIRangeError: Error, LocalizedError, Sendable, Equatable {
    /// Neither `--range` nor a known CI service's variables.
    case unknownCI
    /// `--range` was given but holds nothing but whitespace.
    case emptyRange
    /// A variable the detected CI always sets is missing or empty.
    case missingVariable(String)
    /// A commit id (named by its variable or event field) is not 40 or 64 hexadecimal digits, or is
    /// the all-zero id where a commit is needed.
    case invalidValue(String, String)
    /// The GitHub event file at the path could not be read, or is not the JSON object expected.
    case unreadableEvent(String, String)
    /// `--range` holds something `git rev-list` arguments cannot be (an option, say); the reason.
    case badRange(String)

    /// One line; text taken from the environment has its control characters escaped.
    public var errorDescription: String? {
        switch self {
        case .unknownCI:
            return "no CI detected: pass --range <range> (GitHub Actions and GitLab CI are detected from their variables)"
        case .emptyRange:
            return "--range is empty: give a revision range such as origin/main..HEAD"
        case .missingVariable(let name):
            return "\(CIRangeError.printable(name)) is not set, though the CI that normally sets it was detected"
        case .invalidValue(let name, let value):
            return "\(CIRangeError.printable(name)) is not a commit id (40 or 64 hexadecimal digits): \"\(CIRangeError.printable(value))\""
        case .unreadableEvent(let path, let reason):
            return "cannot use the GitHub event file \(CIRangeError.printable(path)): \(CIRangeError.printable(reason))"
        case .badRange(let reason):
            return reason
        }
    }

    /// Keeps text from the environment on one short line: control characters are escaped, and
    /// anything past 120 characters is cut.
    private static func printable(_ text: String) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 120 {
                out += "…"
                break
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return out
    }
}

/// What a full commit id looks like: 40 (SHA-1) or 64 (SHA-256) hexadecimal digits, either case.
enum CommitIDSyntax {
    /// True for a full commit id, the all-zero one included.
    static func isCommitID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 40 || bytes.count == 64 else { return false }
        return bytes.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
    }

    /// True for the all-zero id CI services use for "no commit" (a new or deleted branch).
    static func isNull(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (bytes.count == 40 || bytes.count == 64) && bytes.allSatisfy { $0 == 0x30 }
    }
}
