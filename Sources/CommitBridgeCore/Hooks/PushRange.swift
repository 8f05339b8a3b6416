

// What a push brought: git's update lines, the branches selected, and the revisions to walk for each.

/// Works out which commits a push brought in, one revision range per updated branch:
/// `old..new` for an updated branch; for a new branch, `new` less everything reachable from the
/// refs that existed before the push. Deletions, tags and filtered-out branches bring nothing.
public struct PushRangePlanner: Sendable {
    public let filter: BranchFilter

    public init(filter: BranchFilter) {
        self.filter = filter
    }

    /// The updates that can bring commits: branches (not tags) selected by the filter, not deleted.
    public func relevant(_ updates: [PushUpdate]) -> [PushUpdate] {
        updates.filter { $0.isBranch && !$0.isDeletion && filter.matches($0.branchName) }
    }

    /// - Parameters:
    ///   - updates: every update of the push (those `relevant` leaves out still tell what the
    ///     repository held before it).
    ///   - references: the repository's refs now (name → commit), after the push.
    public func revisionSets(for updates: [PushUpdate], references: [(name: String, commit: String)]) -> [RevisionRange] {
        let pushed = Dictionary(updates.map { ($0.ref, $0) }, uniquingKeysWith: { _, last in last })
        // What the repository had before the push: every untouched ref as it is, every pushed ref as it was.
        var before = Set<String>()
        for reference in references where pushed[reference.name] == nil {
            before.insert(reference.commit)
        }
        for update in updates where !update.isCreation {
            before.insert(update.old)
        }
        return relevant(updates).map { update in
            if update.isCreation {
                return .commits(reachableFrom: [update.new], excluding: before.sorted())
            }
            return .commits(reachableFrom: [update.new], excluding: [update.old])
        }
    }
}

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

/// Branch glob patterns (`main`, `release/*`) from `--branch` or `commitbridge.branches`;
/// no pattern means every branch. Matched as git matches ref patterns (`RefPattern`, component-wise):
/// `*`, `?` and `[...]` stay within one `/`-separated part of the name, `**` crosses slashes
/// (`release/*` selects `release/1` but not `release/1/hotfix`; `release/**` selects both).
public struct BranchFilter: Sendable, Hashable {
    public let patterns: [String]
    /// The patterns that are valid; an invalid one (which `init(validating:)` refuses) selects nothing.
    private let globs: [RefPattern]

    /// A filter of already checked patterns (an invalid one selects no branch, as in git).
    public init(_ patterns: [String]) {
        self.patterns = patterns
        self.globs = patterns.compactMap { try? RefPattern(validating: $0) }
    }

    /// A filter of `patterns`, refusing an empty or invalid one.
    public init(validating patterns: [String]) throws(RefPatternError) {
        var globs: [RefPattern] = []
        for pattern in patterns { globs.append(try RefPattern(validating: pattern)) }
        self.patterns = patterns
        self.globs = globs
    }

    /// Whether `branch` (without `refs/heads/`) is selected.
    public func matches(_ branch: String) -> Bool {
        patterns.isEmpty || globs.contains { $0.matches(branch, pathname: true) }
    }
}
