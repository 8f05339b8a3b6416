/// Orders the commits reachable from a set of tips as `git rev-list --date-order --reverse` does:
/// parents before children; among the commits whose children are all placed, the newest first
/// (then the list is reversed).
///
/// It reads each commit's raw header once from the object database and keeps about 60 bytes a commit
/// (id, commit time, parent indices). libgit2's own sorted walk keeps several hundred bytes a commit
/// and takes about twice as long over the same history, which made it most of a dry run's time and
/// memory. `HistoryLimits` narrow the walk the way a shallow clone's history needs: commits to leave
/// out with all their ancestors, and commits whose parents are cut off (GitKit uses them in shallow
/// clones only; elsewhere it walks ranges with excluded commits with libgit2).
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
    /// Commits walked as if they had no parents (a shallow clone's edge), and the parent counts their
    /// objects record, which the result reports.
    private var parentless: Set<ObjectID> = []
    private var recordedParentCounts: [Int32: Int32] = [:]

    /// The walk's result: every commit's id and parent count by number (as the commit object records
    /// it, also for a commit walked as parentless), and the numbers oldest first.
    struct Result {
        let ids: [ObjectID]
        let parentCounts: [Int32]
        let order: [Int32]
    }

    /// Every commit reachable from `tips` and not ruled out by `limits`, oldest first in `--date-order`.
    /// `visit` is told once about each commit read, during the walk (in no particular order): its
    /// number, and what `isWanted` said of its raw bytes and header. With limits, the commits they
    /// leave out are read (and visited) too, since what they reach must be known.
    ///
    /// Commits the packs do not hold whole are read through `fallback`.
    /// With a commit-graph file, the commits it holds are not read at all (their parents and times
    /// come from the file) and `visit` is not told about them; the others are read as usual. With
    /// `readsAhead`, a second thread reads commits ahead of the walk in pack order (`PackReadAhead`),
    /// and `isWanted` is asked on either thread. The raw bytes of the wanted commits read go to
    /// `retained`, when there is one.
    static func walk(tips: [ObjectID], limits: HistoryLimits = HistoryLimits(), fallback: any CommitFallback, graph: CommitGraphFile? = nil,
                     packs: PackDirectory? = nil, readsAhead: Bool = false, retained: RetainedCommitBytes? = nil,
                     isWanted: @escaping @Sendable (UnsafeBufferPointer<UInt8>, CommitHeader) -> Bool = { _, _ in false },
                     visit: (Int32, Bool) throws -> Void = { _, _ in }) throws -> Result {
        var walk = CompactHistoryWalk()
        walk.retained = retained
        walk.parentless = limits.parentless
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
        var excludedIndices: [Int32] = []
        for excluded in limits.excluded {
            let (index, isNew) = walk.index(for: excluded)
            if isNew { pending.append(index) }
            excludedIndices.append(index)
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
        var order: [Int32]
        if limits.excluded.isEmpty && limits.commonAncestorsExcluded.isEmpty {
            order = walk.dateOrder(tips: tipIndices)
        } else {
            order = walk.dateOrder(tips: tipIndices, hiding: walk.leftOut(by: limits, excludedTips: excludedIndices))
        }
        order.reverse()
        var parentCounts = walk.parentCount
        for (commit, count) in walk.recordedParentCounts { parentCounts[Int(commit)] = count }
        return Result(ids: walk.ids, parentCounts: parentCounts, order: order)
    }

    /// The commits `limits` leave out: everything reachable from the excluded tips, and everything
    /// reachable from both commits of each pair (their common ancestors, which is what excluding
    /// their merge bases leaves out). Parents here are the walk's, so the cut ones do not count.
    private func leftOut(by limits: HistoryLimits, excludedTips: [Int32]) -> CommitBits {
        var hidden = CommitBits()
        hidden.extend(to: ids.count)
        markAncestors(of: excludedTips, in: &hidden)
        for (left, right) in limits.commonAncestorsExcluded {
            var fromLeft = CommitBits(), fromRight = CommitBits()
            fromLeft.extend(to: ids.count)
            fromRight.extend(to: ids.count)
            markAncestors(of: [index(of: left)].compactMap { $0 }, in: &fromLeft)
            markAncestors(of: [index(of: right)].compactMap { $0 }, in: &fromRight)
            fromLeft.formIntersection(fromRight)
            hidden.formUnion(fromLeft)
        }
        return hidden
    }

    /// Adds `starts` and every commit reachable from them to `marks`.
    private func markAncestors(of starts: [Int32], in marks: inout CommitBits) {
        var stack = starts.filter { !marks.contains($0) }
        for start in stack { marks.insert(start) }
        while let commit = stack.popLast() {
            let start = Int(parentStart[Int(commit)])
            for slot in start..<(start + Int(parentCount[Int(commit)])) where !marks.contains(parents[slot]) {
                marks.insert(parents[slot])
                stack.append(parents[slot])
            }
        }
    }

    /// The number of a commit already met, nil for one the walk has not met.
    private func index(of id: ObjectID) -> Int32? {
        var slot = id.leadingBits & (slots.count - 1)
        while slots[slot] >= 0 {
            if ids[Int(slots[slot])] == id { return slots[slot] }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// Whether the walk follows `commit`'s parents; when it does not (the commit is at a shallow
    /// clone's edge), the count its object records is kept for the result.
    private mutating func followsParents(of commit: Int32, recorded count: Int) -> Bool {
        if parentless.isEmpty || !parentless.contains(ids[Int(commit)]) { return true }
        recordedParentCounts[commit] = Int32(count)
        return false
    }

    /// The ids of every commit reachable from `tips` and not ruled out by `limits`, oldest first in `--date-order`.
    static func orderedIDs(tips: [ObjectID], limits: HistoryLimits = HistoryLimits(), fallback: any CommitFallback,
                           packs: PackDirectory? = nil) throws -> [ObjectID] {
        let result = try walk(tips: tips, limits: limits, fallback: fallback, packs: packs)
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
        if !followsParents(of: commit, recorded: scratch.count) { scratch.removeAll() }
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
        let follows = followsParents(of: commit, recorded: header.parentHexRanges.count)
        for hex in header.parentHexRanges where follows {
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
        let follows = followsParents(of: commit, recorded: read.parents.count)
        for parent in read.parents where follows {
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

    /// Newest first, each commit after all of its children (Kahn's algorithm over a time-ordered queue),
    /// leaving out the `hidden` commits. A commit that is not hidden has no hidden child (what a hidden
    /// commit reaches is hidden too), so counting every child is still right.
    private func dateOrder(tips: [Int32], hiding hidden: CommitBits? = nil) -> [Int32] {
        var childCount = [Int32](repeating: 0, count: ids.count)
        for parent in parents { childCount[Int(parent)] += 1 }
        var queue: [Ready] = []
        var sequence: Int32 = 0
        for tip in tips where childCount[Int(tip)] == 0 && hidden?.contains(tip) != true {
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
                if childCount[Int(parent)] == 0 && hidden?.contains(parent) != true {
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
