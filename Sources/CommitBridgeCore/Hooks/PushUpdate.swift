/// One `<old> <new> <ref>` line that git gives a post-receive hook.
public struct PushUpdate: Sendable, Hashable {
    public let old: String
    public let new: String
    public let ref: String

    public init(old: String, new: String, ref: String) {
        self.old = old
        self.new = new
        self.ref = ref
    }

    /// Parses the hook's standard input; lines that are not three fields of the right shape are skipped.
    public static func parse(_ input: String) -> [PushUpdate] {
        input.split(whereSeparator: { $0.isNewline }).compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 3, isObjectID(fields[0]), isObjectID(fields[1]) else { return nil }
            return PushUpdate(old: String(fields[0]), new: String(fields[1]), ref: String(fields[2]))
        }
    }

    /// True when the ref did not exist before the push.
    public var isCreation: Bool { PushUpdate.isZero(old) }
    /// True when the push deleted the ref.
    public var isDeletion: Bool { PushUpdate.isZero(new) }
    /// True for `refs/heads/…`.
    public var isBranch: Bool { ref.hasPrefix("refs/heads/") }
    /// The branch name without `refs/heads/`.
    public var branchName: String { isBranch ? String(ref.dropFirst("refs/heads/".count)) : ref }

    static func isZero(_ id: String) -> Bool { id.allSatisfy { $0 == "0" } }

    static func isObjectID(_ text: Substring) -> Bool {
        (text.count == 40 || text.count == 64) && text.allSatisfy { $0.isHexDigit }
    }
}
