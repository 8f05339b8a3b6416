/// Orders the commits reachable from a set of tips as `git rev-list --date-order --reverse` does:
/// parents before children; among the commits whose children are all placed, the newest first
/// (then the list is reversed).
///
/// It reads each commit's raw header once from the object database and keeps about 60 bytes a commit
/// (id, commit time, parent indices). libgit2's own sorted walk keeps several hundred bytes a commit
/// and takes about twice as long over the same history, which made it most of a dry run's time and
/// memory. Only tips to include are handled; a range with excluded commits, and a shallow clone, are
/// the caller's to walk otherwise (GitKit walks them with libgit2).
struct CompactHistoryWalk {
    /// One entry of the ready queue: newest commit time first, then first come first.
    private struct Ready {
        let time: Int64
        let sequence: Int32
        let commit: Int32

        func comesBefore(_ other: Ready) -> Bool {
            time != other.time ? time > other.time : sequence < other.sequence
        }
    }

    private var ids: [ObjectID] = []
    /// Open addressing over `ids`: each slot holds a commit's number, or -1. Ids are hashes already,
    /// so their first eight bytes place them; 4 bytes a slot, at most half full.
    private var slots = [Int32](repeating: -1, count: 1 << 12)
    private var times: [Int64] = []
    private var parentStart: [Int32] = []
    private var parentCount: [Int32] = []
    private var parents: [Int32] = []
    /// With a commit-graph file: each commit's position in it (-1 when not known yet), and the
    /// commit number at each position (-1 when not numbered yet). A commit found as a parent in the
    /// file needs neither a search of the file nor of `slots` when its turn comes.
    private var graphPositions: [Int32] = []
    private var numberAtPosition: [Int32] = []
    private var tracksPositions = false
    /// Where the raw bytes of wanted commits go, if anywhere.
    private var retained: RetainedCommitBytes?

    /// The walk's result: every commit's id and parent count by number, and the numbers oldest first.
    struct Result {
        let ids: [ObjectID]
        let parentCounts: [Int32]
        let order: [Int32]
    }

    /// Every commit reachable from `tips`, oldest first in `--date-order`. `visit` is told once about
    /// each commit read, during the walk (in no particular order): its number, and what `isWanted`
    /// said of its raw bytes and header.
    ///
    /// Commits the packs do not hold whole are read through `fallback`.
    /// With a commit-graph file, the commits it holds are not read at all (their parents and times
    /// come from the file) and `visit` is not told about them; the others are read as usual. With
    /// `readsAhead`, a second thread reads commits ahead of the walk in pack order (`PackReadAhead`),
    /// and `isWanted` is asked on either thread. The raw bytes of the wanted commits read go to
    /// `retained`, when there is one.
    static func walk(tips: [ObjectID], fallback: any CommitFallback, graph: CommitGraphFile? = nil,
                     packs: PackDirectory? = nil, readsAhead: Bool = false, retained: RetainedCommitBytes? = nil,
                     isWanted: @escaping @Sendable (UnsafeBufferPointer<UInt8>, CommitHeader) -> Bool = { _, _ in false },
                     visit: (Int32, Bool) throws -> Void = { _, _ in }) throws -> Result {
        var walk = CompactHistoryWalk()
        walk.retained = retained
        if let graph {
            walk.tracksPositions = true
            walk.numberAtPosition = [Int32](repeating: -1, count: graph.count)
            // The file tells how many commits there are, so the lists can be made that long at once
            // rather than grown by doubling (each doubling briefly holds the old and the new copy).
            walk.reserve(graph.count)
        } else if let packs {
            // Without the file, the packs' object count bounds the commit count from above (unless
            // there are loose commits too). Room for that many costs address space only: a page
            // becomes resident when first written, so lists that never grow by doubling take less.
            walk.reserve(packs.packs.reduce(0) { $0 + $1.objectCount })
        }
        var pending: [Int32] = []
        var tipIndices: [Int32] = []
        for tip in tips {
            let (index, isNew) = walk.index(for: tip)
            if isNew { pending.append(index); tipIndices.append(index) }
        }
        var graphParents: [Int] = []
        let inflater = packs.map { _ in PackedCommitInflater() }
        var readAhead: PackReadAhead?
        // In the pack that holds the most objects: most of the history, even when the newest commits
        // are loose or in small packs of their own.
        if readsAhead, let packs, let pack = packs.packs.indices.max(by: { packs.packs[$0].objectCount < packs.packs[$1].objectCount }) {
            readAhead = PackReadAhead(packs: packs, pack: pack, keepsWantedBytes: retained != nil, isWanted: isWanted)
        }
        defer { readAhead?.stop() }
        while let commit = pending.popLast() {
            if let graph, walk.readFromGraph(commit, graph, pending: &pending, scratch: &graphParents) { continue }
            if let packs, let inflater, let (pack, offset) = packs.location(of: walk.ids[Int(commit)]) {
                if let read = readAhead?.take(pack: pack, offset: offset) {
                    try walk.record(commit, read, pending: &pending, visit: visit)
                    continue
                }
                if let bytes = inflater.commit(pack: pack, offset: offset, in: packs) {
                    try walk.record(commit, bytes, pending: &pending, isWanted: isWanted, visit: visit)
                    continue
                }
            }
            try walk.read(commit, from: fallback, pending: &pending, isWanted: isWanted, visit: visit)
        }
        // Its thread and its memory go before the ordering, which needs memory of its own.
        readAhead?.stop()
        readAhead = nil
        var order = walk.dateOrder(tips: tipIndices)
        order.reverse()
        return Result(ids: walk.ids, parentCounts: walk.parentCount, order: order)
    }

    /// The ids of every commit reachable from `tips`, oldest first in `--date-order`.
    static func orderedIDs(tips: [ObjectID], fallback: any CommitFallback, packs: PackDirectory? = nil) throws -> [ObjectID] {
        let result = try walk(tips: tips, fallback: fallback, packs: packs)
        return result.order.map { result.ids[Int($0)] }
    }

    private mutating func index(for id: ObjectID) -> (Int32, Bool) {
        var slot = id.leadingBits & (slots.count - 1)
        while slots[slot] >= 0 {
            if ids[Int(slots[slot])] == id { return (slots[slot], false) }
            slot = (slot + 1) & (slots.count - 1)
        }
        let index = Int32(ids.count)
        slots[slot] = index
        ids.append(id)
        times.append(0)
        parentStart.append(0)
        parentCount.append(0)
        if tracksPositions { graphPositions.append(-1) }
        if ids.count * 2 > slots.count { growSlots() }
        return (index, true)
    }

    private mutating func reserve(_ count: Int) {
        ids.reserveCapacity(count)
        times.reserveCapacity(count)
        parentStart.reserveCapacity(count)
        parentCount.reserveCapacity(count)
        if tracksPositions { graphPositions.reserveCapacity(count) }
        parents.reserveCapacity(count + count / 8)
    }

    private mutating func growSlots() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for index in ids.indices {
            var slot = ids[index].leadingBits & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(index)
        }
    }

    /// Takes one commit's parents and time from the commit-graph file; false when the file does not
    /// hold the commit (or its entry cannot be trusted), and nothing was recorded.
    private mutating func readFromGraph(_ commit: Int32, _ graph: CommitGraphFile, pending: inout [Int32],
                                        scratch: inout [Int]) -> Bool {
        let known = graphPositions[Int(commit)]
        guard let position = known >= 0 ? Int(known) : graph.position(of: ids[Int(commit)]) else { return false }
        scratch.removeAll(keepingCapacity: true)
        guard graph.parents(at: position, into: &scratch) else { return false }
        numberAtPosition[position] = commit
        parentStart[Int(commit)] = Int32(parents.count)
        for parentPosition in scratch {
            var index = numberAtPosition[parentPosition]
            if index < 0 {
                let (found, isNew) = self.index(for: graph.id(at: parentPosition))
                if isNew { pending.append(found) }
                index = found
                numberAtPosition[parentPosition] = found
                graphPositions[Int(found)] = Int32(parentPosition)
            }
            parents.append(index)
        }
        parentCount[Int(commit)] = Int32(parents.count) - parentStart[Int(commit)]
        times[Int(commit)] = graph.commitTime(at: position)
        return true
    }

    /// Reads one commit's header through the fallback: its parents (those seen for the first time go
    /// on `pending`) and its time.
    private mutating func read(_ commit: Int32, from fallback: any CommitFallback, pending: inout [Int32],
                               isWanted: (UnsafeBufferPointer<UInt8>, CommitHeader) -> Bool,
                               visit: (Int32, Bool) throws -> Void) throws {
        try fallback.withRawCommit(ids[Int(commit)]) { bytes in
            try record(commit, bytes, pending: &pending, isWanted: isWanted, visit: visit)
        }
    }

    /// Records one commit's parents (those seen for the first time go on `pending`) and time from
    /// its raw bytes.
    private mutating func record(_ commit: Int32, _ bytes: UnsafeBufferPointer<UInt8>, pending: inout [Int32],
                                 isWanted: (UnsafeBufferPointer<UInt8>, CommitHeader) -> Bool,
                                 visit: (Int32, Bool) throws -> Void) throws {
        let id = ids[Int(commit)]
        let header = CommitHeader(bytes)
        parentStart[Int(commit)] = Int32(parents.count)
        for hex in header.parentHexRanges {
            var parent = ObjectID.zero
            if let problem = ObjectID.parse(hex, of: bytes, into: &parent) {
                throw HistoryReaderError(summary: "commit \(id.hex) has a malformed parent line", detail: problem)
            }
            let (index, isNew) = self.index(for: parent)
            if isNew { pending.append(index) }
            parents.append(index)
        }
        parentCount[Int(commit)] = Int32(parents.count) - parentStart[Int(commit)]
        times[Int(commit)] = header.commitTime
        let wanted = isWanted(bytes, header)
        if wanted { retained?.keep(bytes, of: id) }
        try visit(commit, wanted)
    }

    /// Records one commit that `PackReadAhead` read.
    private mutating func record(_ commit: Int32, _ read: PackReadAhead.ReadCommit, pending: inout [Int32],
                                 visit: (Int32, Bool) throws -> Void) throws {
        parentStart[Int(commit)] = Int32(parents.count)
        for parent in read.parents {
            let (index, isNew) = self.index(for: parent)
            if isNew { pending.append(index) }
            parents.append(index)
        }
        parentCount[Int(commit)] = Int32(parents.count) - parentStart[Int(commit)]
        times[Int(commit)] = read.time
        if let retained, let bytes = read.bytes {
            bytes.withUnsafeBufferPointer { retained.keep($0, of: ids[Int(commit)]) }
        }
        try visit(commit, read.wanted)
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
