import Clibgit2
import CommitBridgeCore
import HistoryReader

/// The commits a list of `git rev-list` arguments asks for: tips to include and tips to exclude,
/// resolved to commit ids against one repository.
struct RevisionSelection {
    private(set) var included: [git_oid] = []
    private(set) var excluded: [git_oid] = []
    /// The two sides of each `A...B` whose merge bases are still to be left out (`basesExcluded`) or,
    /// after a `--not`, taken in: only when a `ParentSource` is given (a shallow clone, where libgit2
    /// 1.5's merge-base search would reach past the edge, or replace refs, which it does not read);
    /// the walk then deals with their common ancestors itself. Elsewhere the merge bases are in
    /// `excluded` (or `included`).
    private(set) var deferredPairs: [(left: git_oid, right: git_oid, basesExcluded: Bool)] = []

    /// The pairs whose common ancestors are left out, for `HistoryLimits`.
    var symmetricPairs: [(git_oid, git_oid)] {
        deferredPairs.filter(\.basesExcluded).map { ($0.left, $0.right) }
    }

    /// Resolves every argument of `range`; nothing is walked yet. With a `source` (a shallow clone,
    /// whose edge it lists, or replace refs), `~`, `^` and the parents of `A^@`, `A^!` and `A^-n` are
    /// taken from it, a revision that is not in a shallow clone says so and how to fetch more
    /// history, and `A...B` goes to `deferredPairs`.
    init(_ range: RevisionRange, repository: RepositoryHandle, source: ParentSource? = nil) throws {
        guard !range.arguments.isEmpty else {
            throw GitError(kind: .invalidRange, code: -1, libgit2Message: "",
                           summary: "invalid revision range: no revisions given")
        }
        let shallow = !(source?.parentless.isEmpty ?? true)
        let parents = source ?? ParentSource(replacements: ReplaceObjects(replacements: [:]), parentless: [])
        func resolve(_ revision: String) throws -> git_oid {
            do {
                return try source.map { try Self.resolve(revision, in: repository, source: $0) } ?? Self.resolve(revision, in: repository)
            } catch let error as GitError where shallow && error.kind == .revisionNotFound && error.code == GIT_ENOTFOUND.rawValue {
                throw ShallowHistory.revisionNotInClone(revision, error)
            }
        }
        func parentsOf(_ revision: String, _ id: git_oid) throws -> [git_oid] {
            do {
                return try parents.parents(of: id, in: repository)
            } catch let error as GitError {
                throw GitError(kind: .revisionNotFound, code: error.code, libgit2Message: error.libgit2Message,
                               summary: "cannot read the parents of '\(GitError.shown(revision))': \(error.summary)")
            }
        }
        var flipped = false
        func add(_ id: git_oid, selected: Bool) {
            if selected != flipped { included.append(id) } else { excluded.append(id) }
        }
        for argument in range.arguments {
            switch argument {
            case .include(let revision):
                add(try resolve(revision), selected: true)
            case .exclude(let revision):
                add(try resolve(revision), selected: false)
            case .range(let exclude, let include):
                add(try resolve(exclude), selected: false)
                add(try resolve(include), selected: true)
            case .symmetricDifference(let left, let right):
                let leftID = try resolve(left)
                let rightID = try resolve(right)
                add(leftID, selected: true)
                add(rightID, selected: true)
                if source != nil {
                    deferredPairs.append((leftID, rightID, basesExcluded: !flipped))
                } else {
                    for base in try Self.mergeBases(leftID, rightID, in: repository) { add(base, selected: false) }
                }
            case .parents(let revision, let negated):
                for parent in try parentsOf(revision, try resolve(revision)) { add(parent, selected: !negated) }
            case .alone(let revision, let negated):
                let id = try resolve(revision)
                for parent in try parentsOf(revision, id) { add(parent, selected: negated) }
                add(id, selected: !negated)
            case .beyondParent(let revision, let number, let negated):
                let id = try resolve(revision)
                let all = try parentsOf(revision, id)
                guard number <= all.count else {
                    throw GitError(kind: .revisionNotFound, code: GIT_ENOTFOUND.rawValue, libgit2Message: "",
                                   summary: "unknown revision '\(GitError.shown(argument.text))': commit \(id.hex) has no parent \(number)")
                }
                add(all[number - 1], selected: negated)
                add(id, selected: !negated)
            case .references(let set):
                for id in try Self.commits(of: set, in: repository) { add(id, selected: true) }
            case .not:
                flipped.toggle()
            }
        }
    }

    /// The commits the refs of `set` lead to (and HEAD's, for `--all`, unless it is unborn).
    static func commits(of set: ReferenceSet, in repository: RepositoryHandle) throws -> [git_oid] {
        var ids = try repository.commitReferences().filter { set.contains($0.name) }.compactMap { ObjectID(hex: $0.commit).map { git_oid($0) } }
        if set.includesHead, let head = try? resolve("HEAD", in: repository) { ids.append(head) }
        return ids
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

    /// `resolve` in a shallow clone or with replace refs: trailing `~n` and `^n` steps are taken here,
    /// from each commit's parents as `source` gives them (a commit at a shallow clone's edge has none,
    /// as git sees it; a replaced commit has its replacement's). libgit2 would step from an edge
    /// commit to a parent that happens to be in the clone by another path, and reads no replacements.
    static func resolve(_ revision: String, in repository: RepositoryHandle, source: ParentSource) throws -> git_oid {
        guard let (base, steps) = AncestrySteps.split(revision) else { return try resolve(revision, in: repository) }
        var id = try resolve(base, in: repository)
        for step in steps {
            for _ in 0..<step.repeats {
                if step.parent == 0 { continue }
                let commit = try source.commit(id, in: repository)
                let recorded = Int(git_commit_parentcount(commit.pointer))
                let edge = source.parentless.contains(id.objectID)
                guard !edge, step.parent <= recorded, let parent = git_commit_parent_id(commit.pointer, UInt32(step.parent - 1)) else {
                    let why = edge && step.parent <= recorded
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
