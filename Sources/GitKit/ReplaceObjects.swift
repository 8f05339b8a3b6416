import Clibgit2
import Foundation
import HistoryReader

/// git's replace refs (`git replace`): `refs/replace/<id>` names a commit to read in place of commit
/// `<id>`. git reads the replacement's parents, message and dates while the commit keeps its id, so a
/// walk follows the replaced history and lists the original ids. libgit2 1.5 and `HistoryReader`
/// read objects as they are stored; when the repository holds a replacement, walks here go through
/// `ReplacedHistory` instead. As in git, `GIT_NO_REPLACE_OBJECTS` (set to anything) or
/// `core.useReplaceRefs=false` turns replacements off, and `GIT_REPLACE_REF_BASE` moves them.
struct ReplaceObjects {
    /// Original id → the commit read in its place (one step; `resolve` follows chains).
    let replacements: [ObjectID: ObjectID]

    var isEmpty: Bool { replacements.isEmpty }

    /// The most replacements git follows one after the other.
    static let maximumDepth = 5

    /// The replacements `repository` holds and git would honour; none when they are turned off.
    static func load(from repository: RepositoryHandle,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ReplaceObjects {
        if environment["GIT_NO_REPLACE_OBJECTS"] != nil { return ReplaceObjects(replacements: [:]) }
        if let configured = try ConfigSnapshot.snapshot(of: repository).string("core.useReplaceRefs"),
           ["false", "no", "off", "0"].contains(configured.lowercased()) {
            return ReplaceObjects(replacements: [:])
        }
        var base = environment["GIT_REPLACE_REF_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? "refs/replace/"
        if !base.hasSuffix("/") { base += "/" }
        let iterator = try Managed<ReferenceIteratorKind>.make("git_reference_iterator_glob_new", "cannot list replace refs") {
            git_reference_iterator_glob_new($0, repository.pointer, base + "*")
        }
        var replacements: [ObjectID: ObjectID] = [:]
        while true {
            var next: OpaquePointer?
            let code = git_reference_next(&next, iterator.pointer)
            if code == GIT_ITEROVER.rawValue { break }
            try LibraryCall.check(code, "cannot read the next replace ref")
            guard let next else { throw GitError.nullResult("git_reference_next") }
            let reference = ReferenceHandle(taking: next)
            let name = reference.name
            guard name.hasPrefix(base), let original = ObjectID(hex: String(name.dropFirst(base.count))),
                  git_reference_type(reference.pointer) == GIT_REFERENCE_DIRECT,
                  let target = git_reference_target(reference.pointer) else { continue }
            replacements[original] = target.pointee.objectID
        }
        return ReplaceObjects(replacements: replacements)
    }

    /// The commit whose contents stand for `id` (itself when it is not replaced).
    func resolve(_ id: ObjectID) throws -> ObjectID {
        var current = id
        for _ in 0...Self.maximumDepth {
            guard let next = replacements[current] else { return current }
            current = next
        }
        throw GitError(kind: .other, code: -1, libgit2Message: "",
                       summary: "replace depth too high for object \(id.hex) (more than \(Self.maximumDepth) replacements in a row)")
    }
}

/// Where a walk takes each commit's parents from: its replacement's contents when it is replaced, and
/// none for a commit at the edge of a shallow clone.
struct ParentSource {
    let replacements: ReplaceObjects
    let parentless: Set<ObjectID>

    /// The commit as git reads it: the replacement's contents, under `id`.
    func commit(_ id: git_oid, in repository: RepositoryHandle) throws -> CommitHandle {
        try CommitHandle.lookup(git_oid(replacements.resolve(id.objectID)), in: repository)
    }

    /// The commit's parents, in order.
    func parents(of id: git_oid, in repository: RepositoryHandle) throws -> [git_oid] {
        if parentless.contains(id.objectID) { return [] }
        let commit = try commit(id, in: repository)
        return (0..<git_commit_parentcount(commit.pointer)).compactMap { git_commit_parent_id(commit.pointer, $0)?.pointee }
    }

    /// The commit's value as git shows it: the replacement's message, dates and parents, `id`'s sha.
    func value(_ id: git_oid, in repository: RepositoryHandle) throws -> Commit {
        let read = try commit(id, in: repository).makeValue()
        let parentCount = parentless.contains(id.objectID) ? 0 : read.parentCount
        guard read.sha != id.hex || parentCount != read.parentCount else { return read }
        return Commit(sha: id.hex, message: read.message, messageEncoding: read.messageEncoding, authorName: read.authorName,
                      authorEmail: read.authorEmail, authorTime: read.authorTime, committerTime: read.committerTime,
                      parentCount: parentCount)
    }
}

/// A walk that reads every commit's parents through a `ParentSource`: the commits reachable from
/// `included` and from none of `excluded`, in `git rev-list --date-order --reverse` order.
struct ReplacedHistory {
    let source: ParentSource
    let repository: RepositoryHandle

    /// Every commit reachable from `tips` (themselves included), each with its parents and date,
    /// stopping at `stop`.
    /// `found` lists them in the order they were reached, so that the walk's order never depends
    /// on how a dictionary happens to lay out its keys.
    private func reach(_ tips: [git_oid], stoppingAt stop: Set<ObjectID> = [])
        throws -> (found: [ObjectID], commits: [ObjectID: (parents: [ObjectID], time: Int64)]) {
        var seen: [ObjectID: (parents: [ObjectID], time: Int64)] = [:]
        var found: [ObjectID] = []
        var pending = Array(tips.filter { !stop.contains($0.objectID) }.reversed())
        while let id = pending.popLast() {
            let key = id.objectID
            if seen[key] != nil || stop.contains(key) { continue }
            let commit = try source.commit(id, in: repository)
            let parents = try source.parents(of: id, in: repository)
            seen[key] = (parents.map(\.objectID), git_commit_time(commit.pointer))
            found.append(key)
            pending += parents.reversed().filter { seen[$0.objectID] == nil && !stop.contains($0.objectID) }
        }
        return (found, seen)
    }

    /// The commits both `left` and `right` reach: leaving them out leaves out their merge bases' history.
    func commonAncestors(_ left: git_oid, _ right: git_oid) throws -> [git_oid] {
        let fromLeft = try reach([left])
        let fromRight = try reach([right]).commits
        return fromLeft.found.filter { fromRight[$0] != nil }.map { git_oid($0) }
    }

    /// The selected commits, oldest first: no commit before its parents, otherwise newest commit
    /// date first, reversed (git's `--date-order --reverse`).
    func orderedCommits(included: [git_oid], excluded: [git_oid]) throws -> [ObjectID] {
        let hidden = Set(try reach(excluded).found)
        let (found, selected) = try reach(included, stoppingAt: hidden)
        var children: [ObjectID: Int] = [:]
        for id in found {
            for parent in selected[id]!.parents where selected[parent] != nil { children[parent, default: 0] += 1 }
        }
        var ready = DateHeap()
        for id in found where children[id] == nil { ready.push(id, time: selected[id]!.time) }
        var newestFirst: [ObjectID] = []
        newestFirst.reserveCapacity(selected.count)
        while let id = ready.pop() {
            newestFirst.append(id)
            for parent in selected[id]!.parents {
                guard let entry = selected[parent], let count = children[parent] else { continue }
                if count == 1 {
                    children[parent] = nil
                    ready.push(parent, time: entry.time)
                } else {
                    children[parent] = count - 1
                }
            }
        }
        return newestFirst.reversed()
    }
}

/// A max-heap of commits by commit date (the newest first; ties in the order pushed).
private struct DateHeap {
    private var items: [(time: Int64, order: Int, id: ObjectID)] = []
    private var pushed = 0

    private func before(_ a: Int, _ b: Int) -> Bool {
        items[a].time != items[b].time ? items[a].time > items[b].time : items[a].order < items[b].order
    }

    mutating func push(_ id: ObjectID, time: Int64) {
        items.append((time, pushed, id))
        pushed += 1
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(child, parent) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> ObjectID? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < items.count && before(left, best) { best = left }
            if right < items.count && before(right, best) { best = right }
            if best == parent { break }
            items.swapAt(parent, best)
            parent = best
        }
        return top.id
    }
}
