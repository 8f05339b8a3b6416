import Clibgit2
import CommitBridgeCore
import Foundation
import HistoryReader

/// A git repository opened through libgit2.
///
/// All access to the underlying libgit2 handle is serialised by a recursive lock, so one
/// `Repository` may be shared between threads (the `walk` body may call back into it).
public final class Repository: @unchecked Sendable {
    let handle: RepositoryHandle
    private let lock = NSRecursiveLock()
    /// How many walks went the shallow clone's way (`shallowWalk`), for the tests.
    private(set) var shallowWalkCount = 0

    private init(handle: RepositoryHandle) {
        self.handle = handle
    }

    /// Opens the repository containing `path` (walking up like git does); when `path` is nil, honours
    /// GIT_DIR / GIT_WORK_TREE / GIT_CEILING_DIRECTORIES and the current directory, as git hooks need.
    public static func discover(at path: String?) throws -> Repository {
        Libgit2Library.ensureInitialised()
        var opened: OpaquePointer?
        let code: Int32
        if let path {
            code = git_repository_open_ext(&opened, path, 0, nil)
        } else {
            code = git_repository_open_ext(&opened, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil)
        }
        let place = path ?? Self.environmentStartingPoint()
        try LibraryCall.check(code, notFoundKind: .notARepository) { text in
            code == GIT_ENOTFOUND.rawValue
                ? "not a git repository: \(place)"
                : LibraryCall.joined("cannot open repository at \(place)", text)
        }
        guard let opened else { throw GitError.nullResult("git_repository_open_ext") }
        let handle = RepositoryHandle(taking: opened)
        // Loose objects reach libgit2 only once GitKit has checked them.
        try CheckedLooseBackend.install(on: handle.pointer)
        return Repository(handle: handle)
    }

    /// Where discovery from the environment starts: `GIT_DIR` when set, else the current directory.
    private static func environmentStartingPoint() -> String {
        if let gitDir = ProcessInfo.processInfo.environment["GIT_DIR"], !gitDir.isEmpty {
            return gitDir
        }
        return FileManager.default.currentDirectoryPath
    }

    /// Runs `body` while holding the repository lock.
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Absolute path of the git directory, no trailing slash (for a linked worktree,
    /// its private directory under `.git/worktrees/`).
    public var gitDirectory: String {
        locked { Self.withoutTrailingSlash(git_repository_path(handle.pointer)) ?? "" }
    }

    /// Absolute path of the directory shared by all worktrees (holds objects, refs, hooks),
    /// no trailing slash. Same as `gitDirectory` except in a linked worktree.
    public var commonDirectory: String {
        locked { Self.withoutTrailingSlash(git_repository_commondir(handle.pointer)) ?? gitDirectory }
    }

    /// The object database's directory (`objects` in the common directory).
    var objectsDirectory: String {
        commonDirectory + "/objects"
    }

    /// Whether the repository has a commit-graph file `HistoryReader` can read (one file, either
    /// generation version): with it, a scan takes parents and dates from the file instead of reading
    /// every commit.
    public var hasCommitGraph: Bool {
        PackedHistory.hasCommitGraph(objectsDirectory: objectsDirectory)
    }

    /// Absolute path of the working tree, no trailing slash; nil for a bare repository.
    public var workingDirectory: String? {
        locked { Self.withoutTrailingSlash(git_repository_workdir(handle.pointer)) }
    }

    /// Whether the repository has no working tree.
    public var isBare: Bool {
        locked { git_repository_is_bare(handle.pointer) == 1 }
    }

    /// Whether the repository is a shallow clone: its `shallow` file (in the common directory, so a
    /// linked worktree of a shallow clone is one too) lists at least one commit.
    public var isShallow: Bool {
        !shallowCommits.isEmpty
    }

    /// The commits at the edge of a shallow clone (the ids its `shallow` file lists, lowercase hex, in
    /// file order): git treats them as having no parents, and so do walks here. Empty for a complete
    /// clone. Read afresh each time, since a fetch rewrites the file.
    public var shallowCommits: [String] {
        ShallowHistory.commits(commonDirectory: commonDirectory).map(\.hex)
    }

    /// Whether the object database holds commit `sha` (40 hexadecimal digits); false for a missing
    /// object, an object of another kind, or text that is not a full commit id. Nothing is thrown.
    public func hasCommit(_ sha: String) -> Bool {
        guard let id = ObjectID(hex: sha) else { return false }
        return locked {
            guard let database = try? handle.objectDatabase() else { return false }
            var oid = git_oid(id)
            guard git_odb_exists(database.pointer, &oid) == 1 else { return false }
            var object: OpaquePointer?
            guard git_object_lookup(&object, handle.pointer, &oid, GIT_OBJECT_COMMIT) == 0, let object else { return false }
            git_object_free(object)
            return true
        }
    }

    /// Which of `shas` can be reached from at least one of `tips` (a commit reaches itself). Ids that
    /// are not full commit ids, and commits the database does not hold, are not reachable.
    public func reachable(_ shas: [String], fromAny tips: [String]) -> Set<String> {
        let tipIDs = tips.compactMap { ObjectID(hex: $0) }.map { git_oid($0) }
        let tipSet = Set(tips.map { $0.lowercased() })
        guard !tipIDs.isEmpty else { return [] }
        return locked {
            var found = Set<String>()
            for sha in shas {
                guard let id = ObjectID(hex: sha) else { continue }
                if tipSet.contains(sha.lowercased()) { found.insert(sha); continue }
                var oid = git_oid(id)
                let answer = tipIDs.withUnsafeBufferPointer { buffer in
                    git_graph_reachable_from_any(handle.pointer, &oid, buffer.baseAddress, buffer.count)
                }
                if answer == 1 { found.insert(sha) } else if answer < 0 { git_error_clear() }
            }
            return found
        }
    }

    /// Whether HEAD points at a branch that has no commits yet. False when that cannot be determined.
    public var isHeadUnborn: Bool {
        locked { git_repository_head_unborn(handle.pointer) == 1 }
    }

    /// Walks the commits `range` selects OLDEST FIRST, streaming: the body is called once per commit
    /// and the commit is released afterwards.
    ///
    /// The order is that of `git rev-list --date-order --reverse`, so parents always precede children.
    /// An error thrown by `body` stops the walk and is rethrown.
    public func walk(_ range: RevisionRange, _ body: (Commit) throws -> Void) throws {
        try locked {
            if let replaced = try replacedWalk(range) {
                for id in replaced.ids { try body(try replaced.source.value(git_oid(id), in: handle)) }
                return
            }
            if let shallow = try shallowWalk(range) {
                for id in try shallow.orderedCommits() {
                    try body(try CommitHandle.lookup(git_oid(id), in: handle).makeValue())
                }
                return
            }
            let walker = try RevisionSelection(range, repository: handle).makeWalker(repository: handle)
            while let id = try nextCommitID(from: walker) {
                // The handle is freed at the end of each iteration; only the copied value escapes.
                let commit = try CommitHandle.lookup(id, in: handle).makeValue()
                try body(commit)
            }
        }
    }

    /// Same selection and order as `walk`, but the commits are read and passed through `transform`
    /// on `readers` threads (each with its own libgit2 handle); `body` gets the results one at a time,
    /// oldest first, on the calling thread. The walk's own memory is released before reading starts,
    /// so peak memory is the larger of the two, not their sum. Ranges of fewer than `threadedFrom`
    /// commits are read on this thread.
    public func walk<Result: Sendable>(_ range: RevisionRange, readers: Int, threadedFrom: Int = 2_000,
                                       transform: @escaping @Sendable (Commit) -> Result,
                                       _ body: (Result) throws -> Void) throws {
        let history = PackedHistory(objectsDirectory: objectsDirectory)
        if let replaced = try locked({ try replacedWalk(range) }) {
            // Read here, one at a time: each commit is read through its replacement.
            for id in replaced.ids {
                let commit = try locked { try replaced.source.value(git_oid(id), in: handle) }
                try body(transform(commit))
            }
            return
        }
        let ids: [ObjectID] = try locked {
            if let shallow = try shallowWalk(range) { return try shallow.orderedCommits() }
            let selection = try RevisionSelection(range, repository: handle)
            if walksCompactly(selection) {
                return try LibraryCall.readingHistory {
                    try history.orderedCommits(from: selection.included.map(\.objectID), fallback: fallback())
                }
            }
            let walker = try selection.makeWalker(repository: handle)
            var ids: [ObjectID] = []
            while let id = try nextCommitID(from: walker) { ids.append(id.objectID) }
            return ids
        }
        if readers <= 1 || ids.count < threadedFrom {
            for id in ids {
                let commit = try locked { try CommitHandle.lookup(git_oid(id), in: handle).makeValue() }
                try body(transform(commit))
            }
            return
        }
        try history.read(ids, readers: readers, fallback: locked { fallback() }, transform: transform, body)
    }

    /// A dry run's walk: the same commits and order as `walk`, but a commit is read in full and passed
    /// to `transform` only when `mustRead` says so from its parent count and raw message bytes (or when
    /// it declares an encoding); the others become `unread(sha, parentCount)`. Over a range without
    /// excluded commits, and over any range in a shallow clone, `HistoryReader` walks and reads (libgit2
    /// reading what it cannot); otherwise this is `walk(_:readers:threadedFrom:transform:_:)`, which
    /// reads them all. A commit at a shallow clone's edge reports the parent count its object records.
    public func scan<Result: Sendable>(_ range: RevisionRange, readers: Int, threadedFrom: Int = 1_000,
                                       mustRead: @escaping @Sendable (_ parentCount: Int, _ message: UnsafeBufferPointer<UInt8>) -> Bool,
                                       unread: @escaping @Sendable (_ sha: String, _ parentCount: Int) -> Result,
                                       transform: @escaping @Sendable (Commit) -> Result,
                                       _ body: (Result) throws -> Void) throws {
        let scanned: Bool = try locked {
            // With replace refs, `walk` reads every commit through its replacement.
            if try !ReplaceObjects.load(from: handle).isEmpty || needsReplacedWalk(range) { return false }
            if let shallow = try shallowWalk(range) {
                try shallow.reading {
                    try shallow.history.scan(
                        from: shallow.tips, limits: shallow.limits, readers: readers, threadedFrom: threadedFrom,
                        fallback: shallow.fallback, mustRead: mustRead, unread: unread, transform: transform, body)
                }
                return true
            }
            let selection = try RevisionSelection(range, repository: handle)
            guard walksCompactly(selection) else { return false }
            try LibraryCall.readingHistory {
                try PackedHistory(objectsDirectory: objectsDirectory).scan(
                    from: selection.included.map(\.objectID), readers: readers, threadedFrom: threadedFrom,
                    fallback: fallback(), mustRead: mustRead, unread: unread, transform: transform, body)
            }
            return true
        }
        if !scanned {
            try walk(range, readers: readers, transform: transform, body)
        }
    }

    /// Whether `HistoryReader` orders `selection` outside a shallow clone: only tips to include (it does
    /// not stop early at excluded commits, so libgit2 walks those ranges).
    private func walksCompactly(_ selection: RevisionSelection) -> Bool {
        selection.excluded.isEmpty
    }

    /// With replace refs, the walk of `range` that `ReplacedHistory` does, reading each commit's
    /// parents through its replacement as git does (a shallow clone's edge still cut); also in a
    /// shallow clone for an `A...B` after `--not`, whose merge bases `HistoryReader` cannot take in.
    /// nil when neither applies. Call with the lock held.
    private func replacedWalk(_ range: RevisionRange) throws -> (ids: [ObjectID], source: ParentSource)? {
        let replacements = try ReplaceObjects.load(from: handle)
        guard !replacements.isEmpty || needsReplacedWalk(range) else { return nil }
        let source = ParentSource(replacements: replacements,
                                  parentless: Set(ShallowHistory.commits(commonDirectory: commonDirectory)))
        let selection = try RevisionSelection(range, repository: handle, source: source)
        let history = ReplacedHistory(source: source, repository: handle)
        var included = selection.included, excluded = selection.excluded
        for pair in selection.deferredPairs {
            let common = try history.commonAncestors(pair.left, pair.right)
            if pair.basesExcluded { excluded += common } else { included += common }
        }
        return (try LibraryCall.readingHistory { try history.orderedCommits(included: included, excluded: excluded) }, source)
    }

    /// Whether a shallow clone's walk of `range` takes in merge bases (an `A...B` after `--not`),
    /// which only `ReplacedHistory` does.
    private func needsReplacedWalk(_ range: RevisionRange) -> Bool {
        var flipped = false
        var takesBasesIn = false
        for argument in range.arguments {
            switch argument {
            case .not: flipped.toggle()
            case .symmetricDifference where flipped: takesBasesIn = true
            default: break
            }
        }
        return takesBasesIn && !ShallowHistory.commits(commonDirectory: commonDirectory).isEmpty
    }

    /// In a shallow clone, the walk of `range` that `HistoryReader` does with the shallow commits'
    /// parents cut; nil in a complete clone, whose walks stay as they are. Call with the lock held.
    private func shallowWalk(_ range: RevisionRange) throws -> ShallowWalk? {
        let edge = ShallowHistory.commits(commonDirectory: commonDirectory)
        guard !edge.isEmpty else { return nil }
        shallowWalkCount += 1
        let parentless = Set(edge)
        let source = ParentSource(replacements: ReplaceObjects(replacements: [:]), parentless: parentless)
        let selection = try RevisionSelection(range, repository: handle, source: source)
        let limits = HistoryLimits(
            excluded: selection.excluded.map(\.objectID),
            commonAncestorsExcluded: selection.symmetricPairs.map { ($0.0.objectID, $0.1.objectID) },
            parentless: parentless)
        return ShallowWalk(history: PackedHistory(objectsDirectory: objectsDirectory),
                           tips: selection.included.map(\.objectID), limits: limits, fallback: fallback())
    }

    /// One walk of a shallow clone: where the history is read, from which tips, within which limits.
    private struct ShallowWalk {
        let history: PackedHistory
        let tips: [ObjectID]
        let limits: HistoryLimits
        let fallback: LibgitCommitFallback

        /// The selected commits, oldest first in `--date-order`.
        func orderedCommits() throws -> [ObjectID] {
            try reading { try history.orderedCommits(from: tips, limits: limits, fallback: fallback) }
        }

        /// Runs `body`, turning the reader's errors into `GitError`s and a commit missing from the
        /// object database that the shallow file does not explain into one that says how to fetch more.
        func reading<T>(_ body: () throws -> T) throws -> T {
            do {
                return try LibraryCall.readingHistory(body)
            } catch let error as GitError where error.code == GIT_ENOTFOUND.rawValue && error.summary.hasPrefix("cannot read commit") {
                throw ShallowHistory.walkPastEdge(error)
            }
        }
    }

    /// libgit2, through this repository's handle, for what `HistoryReader` cannot read. Call with the lock held.
    private func fallback() -> LibgitCommitFallback {
        LibgitCommitFallback(repository: handle, gitDirectory: gitDirectory)
    }

    /// Same selection as `walk`, only the SHAs, oldest first.
    public func revisionList(_ range: RevisionRange) throws -> [String] {
        try locked {
            if let replaced = try replacedWalk(range) { return replaced.ids.map(\.hex) }
            if let shallow = try shallowWalk(range) { return try shallow.orderedCommits().map(\.hex) }
            let walker = try RevisionSelection(range, repository: handle).makeWalker(repository: handle)
            var shas: [String] = []
            while let id = try nextCommitID(from: walker) {
                shas.append(id.hex)
            }
            return shas
        }
    }

    /// Advances `walker`, explaining the failure libgit2 1.5 reports when a walk reaches the edge
    /// of a shallow clone (its revision walker does not know about shallow history and looks for
    /// the missing parents). Shallow clones are walked by `shallowWalk`; this is what is left when
    /// libgit2 sees a `shallow` file the common directory lacks.
    private func nextCommitID(from walker: RevisionWalker) throws -> git_oid? {
        do {
            return try walker.next()
        } catch let error as GitError where error.code == GIT_ENOTFOUND.rawValue
            && git_repository_is_shallow(handle.pointer) == 1 {
            throw ShallowHistory.walkPastEdge(error)
        }
    }

    /// The commit a single revision (`HEAD`, `main~2`, a tag, a SHA, ...) points at.
    public func commit(_ revision: String) throws -> Commit {
        try locked {
            let replacements = try ReplaceObjects.load(from: handle)
            if replacements.isEmpty {
                let id = try RevisionSelection.resolve(revision, in: handle)
                return try CommitHandle.lookup(id, in: handle).makeValue()
            }
            // Read as git shows it: through its replacement, and `~` / `^` through replacements too.
            let source = ParentSource(replacements: replacements, parentless: Set(ShallowHistory.commits(commonDirectory: commonDirectory)))
            return try source.value(RevisionSelection.resolve(revision, in: handle, source: source), in: handle)
        }
    }

    /// Every direct reference that leads to a commit (symbolic references and references to trees or
    /// blobs are left out), in libgit2's order.
    public func references() throws -> [CommitReference] {
        try locked { try handle.commitReferences() }
    }

    /// The URL of the remote called `name` as configured (`remote.<name>.url`), before any
    /// `url.<base>.insteadOf` rewriting, so it names the hosting project rather than a mirror;
    /// nil when there is no such remote.
    public func remoteURL(named name: String) throws -> String? {
        try locked {
            guard let rewritten = try handle.remoteURL(named: name) else { return nil }
            return try ConfigSnapshot.snapshot(of: handle).string("remote.\(name).url") ?? rewritten
        }
    }

    /// Config value from the repository's config snapshot (repo, then global, then system levels
    /// merged, repo wins); nil when unset. Each call reads a fresh snapshot.
    public func configString(_ key: String) throws -> String? {
        try locked {
            try ConfigSnapshot.snapshot(of: handle).string(key)
        }
    }

    /// Every config entry whose name matches the regular expression `pattern`, least specific
    /// level first (names as git prints them: section and key lower-cased, a subsection as written).
    public func configEntries(matching pattern: String) throws -> [(name: String, value: String)] {
        try locked {
            try ConfigSnapshot.snapshot(of: handle).entries(matching: pattern)
        }
    }

    /// All values of a multi-valued config key, least specific level first and in file order
    /// within a level (like `git config --get-all`); [] when unset.
    public func configStrings(_ key: String) throws -> [String] {
        try locked {
            try ConfigSnapshot.snapshot(of: handle).strings(key)
        }
    }

    private static func withoutTrailingSlash(_ path: UnsafePointer<CChar>?) -> String? {
        guard let path else { return nil }
        var text = TextDecoder(encodingName: nil).decode(cString: path)
        while text.count > 1, text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
