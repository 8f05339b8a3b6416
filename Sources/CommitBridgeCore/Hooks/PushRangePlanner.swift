/// Works out which commits a push brought in, one `git rev-list` argument list per updated branch:
/// `old..new` for an updated branch; for a new branch, `new` less everything reachable from the
/// refs that existed before the push. Deletions, tags and filtered-out branches bring nothing.
public struct PushRangePlanner: Sendable {
    public let filter: BranchFilter

    public init(filter: BranchFilter) {
        self.filter = filter
    }

    /// - Parameter references: the repository's refs now (name → commit), after the push.
    public func revisionSets(for updates: [PushUpdate], references: [(name: String, commit: String)]) -> [[String]] {
        let pushed = Dictionary(updates.map { ($0.ref, $0) }, uniquingKeysWith: { _, last in last })
        // What the repository had before the push: every untouched ref as it is, every pushed ref as it was.
        var before = Set<String>()
        for reference in references where pushed[reference.name] == nil {
            before.insert(reference.commit)
        }
        for update in updates where !update.isCreation {
            before.insert(update.old)
        }
        let selected = updates.filter { $0.isBranch && !$0.isDeletion && filter.matches($0.branchName) }
        return selected.map { update in
            if update.isCreation {
                return [update.new] + before.sorted().map { "^" + $0 }
            }
            return ["^" + update.old, update.new]
        }
    }
}
