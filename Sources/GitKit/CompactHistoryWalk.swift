import Clibgit2

/// Orders the commits reachable from a set of tips as `git rev-list --date-order --reverse` does:
/// parents before children; among the commits whose children are all placed, the newest first
/// (then the list is reversed).
///
/// It reads each commit's raw header once from the object database and keeps about 60 bytes a commit
/// (id, commit time, parent indices). libgit2's own sorted walk keeps several hundred bytes a commit
/// and takes about twice as long over the same history, which made it most of a dry run's time and
/// memory. Only tips to include are handled; a range with excluded commits, and a shallow clone, go
/// through libgit2's walk (see `Repository.walk(_:readers:threadedFrom:transform:_:)`).
struct CompactHistoryWalk {
    /// A commit id as a hashable value, without going through text.
    private struct Key: Hashable {
        let high: UInt64
        let middle: UInt64
        let low: UInt32

        init(_ id: git_oid) {
            var id = id
            (high, middle, low) = withUnsafeBytes(of: &id) { bytes in
                (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                 bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
            }
        }
    }

    /// One entry of the ready queue: newest commit time first, then first come first.
    private struct Ready {
        let time: Int64
        let sequence: Int32
        let commit: Int32

        func comesBefore(_ other: Ready) -> Bool {
            time != other.time ? time > other.time : sequence < other.sequence
        }
    }

    private var ids: [git_oid] = []
    private var indexByKey: [Key: Int32] = [:]
    private var times: [Int64] = []
    private var parentStart: [Int32] = []
    private var parentCount: [Int32] = []
    private var parents: [Int32] = []

    /// One commit of the walk's result.
    struct Step {
        let id: git_oid
        /// The commit's number in the order `visit` saw it.
        let index: Int32
        let parentCount: Int
    }

    /// Every commit reachable from `tips`, oldest first in `--date-order`. `visit` sees each commit's
    /// raw bytes and header once, during the walk (in no particular order), with its number.
    static func walk(tips: [git_oid], repository: RepositoryHandle,
                     visit: (Int32, git_oid, UnsafeBufferPointer<UInt8>, CommitHeader) throws -> Void = { _, _, _, _ in }) throws -> [Step] {
        var odbPointer: OpaquePointer?
        try LibraryCall.check(git_repository_odb(&odbPointer, repository.pointer), "cannot open the object database")
        guard let odb = odbPointer else { throw GitError.nullResult("git_repository_odb") }
        defer { git_odb_free(odb) }

        var walk = CompactHistoryWalk()
        var pending: [Int32] = []
        var tipIndices: [Int32] = []
        for tip in tips {
            let (index, isNew) = walk.index(for: tip)
            if isNew { pending.append(index); tipIndices.append(index) }
        }
        while let commit = pending.popLast() {
            try walk.read(commit, from: odb, pending: &pending, visit: visit)
        }
        return walk.dateOrder(tips: tipIndices).reversed().map {
            Step(id: walk.ids[Int($0)], index: $0, parentCount: Int(walk.parentCount[Int($0)]))
        }
    }

    /// The ids of every commit reachable from `tips`, oldest first in `--date-order`.
    static func orderedIDs(tips: [git_oid], repository: RepositoryHandle) throws -> [git_oid] {
        try walk(tips: tips, repository: repository).map(\.id)
    }

    private mutating func index(for id: git_oid) -> (Int32, Bool) {
        let key = Key(id)
        if let known = indexByKey[key] { return (known, false) }
        let index = Int32(ids.count)
        indexByKey[key] = index
        ids.append(id)
        times.append(0)
        parentStart.append(0)
        parentCount.append(0)
        return (index, true)
    }

    /// Reads one commit's header: its parents (those seen for the first time go on `pending`) and its time.
    private mutating func read(_ commit: Int32, from odb: OpaquePointer, pending: inout [Int32],
                               visit: (Int32, git_oid, UnsafeBufferPointer<UInt8>, CommitHeader) throws -> Void) throws {
        var id = ids[Int(commit)]
        var objectPointer: OpaquePointer?
        try LibraryCall.check(git_odb_read(&objectPointer, odb, &id), "cannot read commit \(ObjectID.hex(id))")
        guard let object = objectPointer else { throw GitError.nullResult("git_odb_read") }
        defer { git_odb_object_free(object) }
        guard git_odb_object_type(object) == GIT_OBJECT_COMMIT, let data = git_odb_object_data(object) else {
            throw GitError(kind: .other, code: -1, libgit2Message: "",
                           summary: "object \(ObjectID.hex(id)) is not a commit")
        }
        let bytes = UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: git_odb_object_size(object))
        let header = CommitHeader(bytes)
        parentStart[Int(commit)] = Int32(parents.count)
        for hex in header.parentHexRanges {
            var parent = git_oid()
            let code = git_oid_fromstrn(&parent, UnsafeRawPointer(bytes.baseAddress! + hex.lowerBound)
                .assumingMemoryBound(to: CChar.self), hex.count)
            try LibraryCall.check(code, "commit \(ObjectID.hex(id)) has a malformed parent line")
            let (index, isNew) = self.index(for: parent)
            if isNew { pending.append(index) }
            parents.append(index)
        }
        parentCount[Int(commit)] = Int32(parents.count) - parentStart[Int(commit)]
        times[Int(commit)] = header.commitTime
        try visit(commit, id, bytes, header)
    }

    /// Newest first, each commit after all of its children (Kahn's algorithm over a time-ordered queue).
    private func dateOrder(tips: [Int32]) -> [Int32] {
        var childCount = [Int32](repeating: 0, count: ids.count)
        for parent in parents { childCount[Int(parent)] += 1 }
        var queue: [Ready] = []
        var sequence: Int32 = 0
        for tip in tips where childCount[Int(tip)] == 0 {
            push(Ready(time: times[Int(tip)], sequence: sequence, commit: tip), into: &queue)
            sequence += 1
        }
        var order: [Int32] = []
        order.reserveCapacity(ids.count)
        while let next = pop(&queue) {
            order.append(next.commit)
            let start = Int(parentStart[Int(next.commit)])
            for slot in start..<(start + Int(parentCount[Int(next.commit)])) {
                let parent = parents[slot]
                childCount[Int(parent)] -= 1
                if childCount[Int(parent)] == 0 {
                    push(Ready(time: times[Int(parent)], sequence: sequence, commit: parent), into: &queue)
                    sequence += 1
                }
            }
        }
        return order
    }

    private func push(_ entry: Ready, into heap: inout [Ready]) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].comesBefore(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func pop(_ heap: inout [Ready]) -> Ready? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count && heap[left].comesBefore(heap[best]) { best = left }
            if right < heap.count && heap[right].comesBefore(heap[best]) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return first
    }
}
