import Clibgit2
import CommitBridgeCore
import HistoryReader

/// The commits a list of `git rev-list` arguments asks for: tips to include and tips to exclude,
/// resolved to commit ids against one repository.
struct RevisionSelection {
    private(set) var included: [git_oid] = []
    private(set) var excluded: [git_oid] = []
    /// The two sides of each `A...B` whose merge bases are still to be left out: only in a shallow
    /// clone, where libgit2 1.5's merge-base search would reach past the edge; the walk then leaves
    /// out their common ancestors itself. Elsewhere the merge bases are in `excluded`.
    private(set) var symmetricPairs: [(git_oid, git_oid)] = []

    /// Resolves every argument of `range`; nothing is walked yet. In a shallow clone (`parentless`
    /// lists its edge), `~` and `^` do not go past the edge, a revision that is not there says so and
    /// how to fetch more history, and `A...B` goes to `symmetricPairs`.
    init(_ range: RevisionRange, repository: RepositoryHandle, parentless: Set<ObjectID> = []) throws {
        guard !range.arguments.isEmpty else {
            throw GitError(kind: .invalidRange, code: -1, libgit2Message: "",
                           summary: "invalid revision range: no revisions given")
        }
        let shallow = !parentless.isEmpty
        func resolve(_ revision: String) throws -> git_oid {
            do {
                return shallow ? try Self.resolve(revision, in: repository, parentless: parentless)
                    : try Self.resolve(revision, in: repository)
            } catch let error as GitError where shallow && error.kind == .revisionNotFound && error.code == GIT_ENOTFOUND.rawValue {
                throw ShallowHistory.revisionNotInClone(revision, error)
            }
        }
        for argument in range.arguments {
            switch argument {
            case .include(let revision):
                included.append(try resolve(revision))
            case .exclude(let revision):
                excluded.append(try resolve(revision))
            case .range(let exclude, let include):
                excluded.append(try resolve(exclude))
                included.append(try resolve(include))
            case .symmetricDifference(let left, let right):
                let leftID = try resolve(left)
                let rightID = try resolve(right)
                included += [leftID, rightID]
                if shallow {
                    symmetricPairs.append((leftID, rightID))
                } else {
                    excluded += try Self.mergeBases(leftID, rightID, in: repository)
                }
            }
        }
    }

    /// A walker positioned over exactly the selected commits, ordered like
    /// `git rev-list --date-order --reverse` (parents always come before their children).
    func makeWalker(repository: RepositoryHandle) throws -> RevisionWalker {
        let walker = try RevisionWalker.make("git_revwalk_new", "cannot create revision walker") {
            git_revwalk_new($0, repository.pointer)
        }
        let order = GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue | GIT_SORT_REVERSE.rawValue
        try LibraryCall.check(git_revwalk_sorting(walker.pointer, order), "cannot set revision walk order")
        for var id in included {
            try LibraryCall.check(git_revwalk_push(walker.pointer, &id), "cannot add \(id.hex) to the walk")
        }
        for var id in excluded {
            try LibraryCall.check(git_revwalk_hide(walker.pointer, &id), "cannot hide \(id.hex) from the walk")
        }
        return walker
    }

    /// Resolves one revision (`main`, `v1.0`, `HEAD~2`, a SHA, ...) and peels it to a commit.
    static func resolve(_ revision: String, in repository: RepositoryHandle) throws -> git_oid {
        try resolveObject(revision, in: repository).id
    }

    /// `resolve` in a shallow clone: trailing `~n` and `^n` steps are taken here, from each commit's
    /// recorded parents, except that a commit of `parentless` has none, as git sees it. (libgit2
    /// would step from an edge commit to a parent that happens to be in the clone by another path.)
    static func resolve(_ revision: String, in repository: RepositoryHandle, parentless: Set<ObjectID>) throws -> git_oid {
        guard let (base, steps) = AncestrySteps.split(revision) else { return try resolve(revision, in: repository) }
        var id = try resolve(base, in: repository)
        for step in steps {
            for _ in 0..<step.repeats {
                if step.parent == 0 { continue }
                let commit = try CommitHandle.lookup(id, in: repository)
                let recorded = Int(git_commit_parentcount(commit.pointer))
                guard !parentless.contains(id.objectID), step.parent <= recorded, let parent = git_commit_parent_id(commit.pointer, UInt32(step.parent - 1)) else {
                    let why = parentless.contains(id.objectID) && step.parent <= recorded
                        ? "commit \(id.hex) is at the edge of this shallow clone and has no parents here"
                        : "commit \(id.hex) has no parent \(step.parent)"
                    throw GitError(kind: .revisionNotFound, code: GIT_ENOTFOUND.rawValue, libgit2Message: "",
                                   summary: "unknown revision '\(GitError.shown(revision))': \(why)")
                }
                id = parent.pointee
                // The parent must be in the clone, as git requires of a commit that is not at the edge.
                _ = try CommitHandle.lookup(id, in: repository)
            }
        }
        return id
    }

    /// Like `resolve`, but hands back the commit object itself.
    static func resolveObject(_ revision: String, in repository: RepositoryHandle) throws -> ObjectHandle {
        var found: OpaquePointer?
        let code = git_revparse_single(&found, repository.pointer, revision)
        if code < 0 {
            let text = LibraryCall.lastErrorText()
            let kind: GitError.Kind
            switch code {
            case GIT_EAMBIGUOUS.rawValue: kind = .ambiguous
            // An unparsable spec, or HEAD on an unborn branch, is just a revision that does not resolve.
            case GIT_ENOTFOUND.rawValue, GIT_EINVALIDSPEC.rawValue, GIT_EUNBORNBRANCH.rawValue: kind = .revisionNotFound
            default: kind = .other
            }
            let what: String
            switch kind {
            case .ambiguous: what = "ambiguous revision"
            case .revisionNotFound: what = "unknown revision"
            default: what = "cannot resolve revision"
            }
            throw GitError(kind: kind, code: code, libgit2Message: text,
                           summary: LibraryCall.joined("\(what) '\(GitError.shown(revision))'", GitError.shown(text, limit: 200)))
        }
        guard let found else { throw GitError.nullResult("git_revparse_single") }
        let object = ObjectHandle(taking: found)
        do {
            return try object.peeledToCommit()
        } catch let error as GitError {
            // libgit2's own words ("the requested type does not match the type in the ODB") say
            // less than the object's kind does.
            throw GitError(kind: .revisionNotFound, code: error.code, libgit2Message: error.libgit2Message,
                           summary: "revision '\(GitError.shown(revision))' is not a commit (\(Self.kindName(of: object)))")
        }
    }

    /// What a revision that is not a commit names, e.g. `it names a tree`.
    static func kindName(of object: ObjectHandle) -> String {
        switch git_object_type(object.pointer) {
        case GIT_OBJECT_TREE: return "it names a tree"
        case GIT_OBJECT_BLOB: return "it names a file's contents (a blob)"
        case GIT_OBJECT_TAG: return "it names a tag that does not lead to a commit"
        default: return "it names no commit"
        }
    }

    /// All merge bases of two commits; empty when their histories are unrelated.
    static func mergeBases(_ left: git_oid, _ right: git_oid, in repository: RepositoryHandle) throws -> [git_oid] {
        var left = left
        var right = right
        var bases = git_oidarray()
        let code = git_merge_bases(&bases, repository.pointer, &left, &right)
        if code == GIT_ENOTFOUND.rawValue { return [] }
        try LibraryCall.check(code, "cannot compute merge bases of \(left.hex) and \(right.hex)")
        defer { git_oidarray_dispose(&bases) }
        return Array(UnsafeBufferPointer(start: bases.ids, count: bases.count))
    }
}

/// A libgit2 revision walker.
typealias RevisionWalker = Managed<RevisionWalkerKind>

extension Managed where Kind == RevisionWalkerKind {
    /// The next commit id, or nil once the walk is over.
    func next() throws -> git_oid? {
        var id = git_oid()
        let code = git_revwalk_next(&id, pointer)
        if code == GIT_ITEROVER.rawValue { return nil }
        try LibraryCall.check(code, "revision walk failed")
        return id
    }
}

/// The trailing `~n` / `^n` steps of a revision (`main~2^2`), which a shallow clone must take itself.
enum AncestrySteps {
    /// One step: the `parent`-th parent (first for `~`; 0 for `^0`, the commit itself), `repeats` times.
    struct Step: Equatable {
        let parent: Int
        let repeats: Int
    }

    /// The revision before its trailing steps, and the steps in order; nil when it ends in none or is
    /// of a form left to libgit2 whole (`rev:path`, `:/text`, `^{…}` peels).
    static func split(_ revision: String) -> (base: String, steps: [Step])? {
        guard !revision.contains(":"), !revision.hasSuffix("}") else { return nil }
        var rest = Substring(revision)
        var steps: [Step] = []
        while let marker = rest.lastIndex(where: { $0 == "~" || $0 == "^" }) {
            let digits = rest[rest.index(after: marker)...]
            guard digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber), marker > rest.startIndex else { break }
            let number = digits.isEmpty ? 1 : Int(digits)
            guard let number else { break }
            steps.insert(rest[marker] == "~" ? Step(parent: 1, repeats: number) : Step(parent: number, repeats: 1), at: 0)
            rest = rest[..<marker]
        }
        guard !steps.isEmpty, !rest.isEmpty else { return nil }
        return (String(rest), steps)
    }
}
