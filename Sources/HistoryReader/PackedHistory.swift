/// What `PackedHistory` asks of its caller for the commits it cannot read itself: loose commits,
/// commits stored as deltas, and anything in packs or files it does not know. GitKit answers with
/// libgit2. One instance is used by one thread at a time.
public protocol CommitFallback: AnyObject {
    /// Calls `body` with the raw bytes of commit `id` (what `git cat-file commit` prints); throws when
    /// there is no such object or it is not a commit.
    func withRawCommit(_ id: ObjectID, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws

    /// Reads commit `id` in full. With `screen`, a commit that declares no encoding is first shown to
    /// it (parent count, raw message bytes) and comes back `.skipped` when `screen` says false.
    func readCommit(_ id: ObjectID, screen: ((Int, UnsafeBufferPointer<UInt8>) -> Bool)?) throws -> FallbackRead

    /// A fallback of its own for another thread (made on this one, used only on that one).
    func makeFallbackForAnotherThread() -> any CommitFallback
}

/// What `CommitFallback.readCommit(_:screen:)` gives.
public enum FallbackRead {
    /// The commit, read in full.
    case commit(Commit)
    /// The screen ruled the commit out; only its parent count was needed.
    case skipped(parentCount: Int)
}

/// A problem the reader found in the repository's data itself (a malformed parent line).
public struct HistoryReaderError: Error, Sendable, Equatable {
    /// What was being read, e.g. `commit 1a2b… has a malformed parent line`.
    public let summary: String
    /// The particular problem, worded as libgit2 words it.
    public let detail: String

    public init(summary: String, detail: String) {
        self.summary = summary
        self.detail = detail
    }
}

/// What narrows a walk from its tips, the way `git rev-list` does in a shallow clone: commits to
/// leave out with everything they reach (`^A`, the `A` of `A..B`), pairs whose common ancestors are
/// left out (`A...B` leaves out its merge bases and so everything both sides reach), and commits
/// walked as if they had no parents (those listed in a shallow clone's `shallow` file). Parents are
/// cut before anything is left out, so what a commit reaches never crosses a shallow edge.
public struct HistoryLimits: Sendable {
    /// Commits whose ancestors, and themselves, are left out.
    public var excluded: [ObjectID]
    /// Pairs `(A, B)` whose common ancestors are left out (both should be tips as well).
    public var commonAncestorsExcluded: [(ObjectID, ObjectID)]
    /// Commits whose parents the walk does not follow.
    public var parentless: Set<ObjectID>

    public init(excluded: [ObjectID] = [], commonAncestorsExcluded: [(ObjectID, ObjectID)] = [],
                parentless: Set<ObjectID> = []) {
        self.excluded = excluded
        self.commonAncestorsExcluded = commonAncestorsExcluded
        self.parentless = parentless
    }
}

/// Reads commit history straight from one object database's files: its commit-graph file, and its
/// pack files with zlib, on several threads. Everything else it reads through a `CommitFallback`,
/// so it gives exactly what the fallback alone would give, sooner.
///
/// The pack files are opened once, when this is made, and stay open until it goes; make one for
/// each walk or scan.
public final class PackedHistory {
    private let objectsDirectory: String
    private let packs: PackDirectory

    /// Opens the pack files of `objectsDirectory` (the `objects` directory of a repository).
    public init(objectsDirectory: String) {
        self.objectsDirectory = objectsDirectory
        packs = PackDirectory(objectsDirectory: objectsDirectory)
    }

    /// Whether `objectsDirectory` has a commit-graph file this reader can use (one file, either
    /// generation version): with it, a scan takes parents and dates from the file.
    public static func hasCommitGraph(objectsDirectory: String) -> Bool {
        CommitGraphFile.open(objectsDirectory: objectsDirectory) != nil
    }

    /// The raw bytes of commit `id` when a pack here stores it whole; nil when the caller must read it
    /// some other way.
    public func rawCommit(_ id: ObjectID) -> [UInt8]? {
        // The bytes live in the inflater's buffer: it must outlive the copy (a temporary inflater
        // could be freed first, and the copy read freed memory).
        let inflater = PackedCommitInflater()
        return withExtendedLifetime(inflater) { inflater.commit(id, in: packs).map(Array.init) }
    }

    /// Every commit reachable from `tips` and not ruled out by `limits`, oldest first, in the order of
    /// `git rev-list --date-order --reverse`.
    public func orderedCommits(from tips: [ObjectID], limits: HistoryLimits = HistoryLimits(),
                               fallback: any CommitFallback) throws -> [ObjectID] {
        try CompactHistoryWalk.orderedIDs(tips: tips, limits: limits, fallback: fallback, packs: packs)
    }

    /// Reads `ids` on `readers` threads (each with a fallback `fallback` makes for it), passes each
    /// commit through `transform` there, and calls `body` with the results in the order of `ids`, on
    /// the calling thread.
    public func read<Result: Sendable>(_ ids: [ObjectID], readers: Int, fallback: any CommitFallback,
                                       transform: @escaping @Sendable (Commit) -> Result,
                                       _ body: (Result) throws -> Void) throws {
        try ParallelCommitReader(fallback: fallback, readers: readers, transform: transform, packs: packs).read(ids, body)
    }

    /// A dry run's walk over every commit reachable from `tips` and not ruled out by `limits`, oldest
    /// first in `--date-order` (a commit walked as parentless still reports its recorded parent count): a
    /// commit is read in full and passed to `transform` only when `mustRead` says so from its parent
    /// count and raw message bytes (or when it declares an encoding); the others become
    /// `unread(sha, parentCount)`. Only the commits to read are read a second time after the walk,
    /// on `readers` threads when there are `threadedFrom` or more. `body` gets the results one at a
    /// time, in order, on the calling thread; an error it throws stops the scan and is rethrown.
    public func scan<Result: Sendable>(from tips: [ObjectID], limits: HistoryLimits = HistoryLimits(),
                                       readers: Int, threadedFrom: Int,
                                       fallback: any CommitFallback,
                                       mustRead: @escaping @Sendable (_ parentCount: Int, _ message: UnsafeBufferPointer<UInt8>) -> Bool,
                                       unread: @escaping @Sendable (_ sha: String, _ parentCount: Int) -> Result,
                                       transform: @escaping @Sendable (Commit) -> Result,
                                       _ body: (Result) throws -> Void) throws {
        var wanted = CommitBits()
        var visited = CommitBits()
        // A commit-graph file spares the walk reading every commit; the commits it holds are then
        // read (all of them, on the reader threads) after the walk, like the wanted ones.
        var graph = readers > 1 ? CommitGraphFile.open(objectsDirectory: objectsDirectory) : nil
        // Without the file, a second thread reads commits ahead of the walk (`PackReadAhead`),
        // and the walk keeps the wanted commits' bytes while they fit (`RetainedCommitBytes`).
        let inflatesAll = readers > 1 && graph == nil
        let retained = inflatesAll ? RetainedCommitBytes() : nil
        let walked = try CompactHistoryWalk.walk(
            tips: tips, limits: limits, fallback: fallback, graph: graph, packs: packs,
            readsAhead: inflatesAll, retained: retained,
            isWanted: { bytes, header in
                header.encodingRange != nil
                    || mustRead(header.parentHexRanges.count, UnsafeBufferPointer(rebasing: bytes[header.messageRange]))
            }
        ) { index, isWanted in
            visited.insert(index)
            if isWanted { wanted.insert(index) }
        }
        wanted.extend(to: walked.ids.count)
        visited.extend(to: walked.ids.count)
        let usedGraph = graph != nil
        graph = nil  // unmapped: the file's pages are not needed after the walk
        if usedGraph { wanted.formUnion(complementOf: visited) }
        let wantedBits = wanted
        let ids = walked.ids, order = walked.order
        let batches = CommitBatches(order: order)
        // The commits to read are read again, in batches, on one thread per reader, while this
        // thread hands the results of earlier batches to `body`; keeping their raw bytes from the
        // walk instead measured 380 bytes a commit more at the peak.
        let pipeline = readers > 1 && wantedBits.count >= threadedFrom
            ? CommitReadPipeline(
                reader: ParallelCommitReader(
                    fallback: fallback, readers: readers, transform: transform,
                    screen: !usedGraph ? nil : ParallelCommitReader.Screen(mustRead: mustRead, unread: unread),
                    packs: packs, retained: retained),
                batchCount: batches.count) { number in batches[number].filter { wantedBits.contains($0) }.map { ids[Int($0)] } }
            : nil
        // If `body` throws, reads may be in flight: let them finish before the fallbacks go.
        defer { pipeline?.stop() }
        for number in 0..<batches.count {
            let results: [Result]
            if let pipeline {
                results = try pipeline.next()
            } else {
                var read: [Result] = []
                for index in batches[number] where wantedBits.contains(index) {
                    if case .commit(let commit) = try fallback.readCommit(ids[Int(index)], screen: nil) {
                        read.append(transform(commit))
                    }
                }
                results = read
            }
            var next = 0
            for index in batches[number] {
                if wantedBits.contains(index) {
                    try body(results[next])
                    next += 1
                } else {
                    try body(unread(ids[Int(index)].hex, Int(walked.parentCounts[Int(index)])))
                }
            }
        }
    }
}

/// One bit a commit number.
struct CommitBits: Sendable {
    private var words: [UInt64] = []

    mutating func insert(_ index: Int32) {
        let word = Int(index) >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word + 1 - words.count)) }
        words[word] |= 1 << UInt64(Int(index) & 63)
    }

    /// Makes room for `count` commits, so that every number below it can be asked about.
    mutating func extend(to count: Int) {
        let needed = (count + 63) / 64
        words.append(contentsOf: repeatElement(0, count: max(0, needed - words.count)))
    }

    /// Adds every commit `other` does not hold (both extended to the same count).
    mutating func formUnion(complementOf other: CommitBits) {
        for word in words.indices { words[word] |= ~other.words[word] }
    }

    /// Adds every commit `other` holds (both extended to the same count).
    mutating func formUnion(_ other: CommitBits) {
        for word in words.indices { words[word] |= other.words[word] }
    }

    /// Keeps only the commits `other` holds too (both extended to the same count).
    mutating func formIntersection(_ other: CommitBits) {
        for word in words.indices { words[word] &= other.words[word] }
    }

    func contains(_ index: Int32) -> Bool {
        words[Int(index) >> 6] & (1 << UInt64(Int(index) & 63)) != 0
    }

    /// How many bits are set.
    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}

/// The walk's order cut into batches of 256 commits.
private struct CommitBatches: Sendable {
    let order: [Int32]
    static let size = 256

    var count: Int { (order.count + Self.size - 1) / Self.size }

    subscript(number: Int) -> ArraySlice<Int32> {
        order[(number * Self.size)..<min(order.count, (number + 1) * Self.size)]
    }
}
