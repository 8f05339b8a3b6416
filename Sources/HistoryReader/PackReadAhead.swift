import Foundation

/// Reads, on a thread of its own, the commits a history walk is about to ask for, so that two cores
/// inflate commits during the walk instead of one.
///
/// A walk cannot know a commit's parents before reading it, but a pack usually can tell: git writes
/// a clone's or a repack's commits first, newest first, and `git fast-import` writes them oldest
/// first, so the next commit the walk asks for is most often the next (or previous) commit in the
/// file. This reader follows the walk's position in pack order (`PackObjectOrder`) and reads the
/// commits just beyond it, up to `window` objects ahead. When the walk asks for a commit that is
/// still being read, the walk reads the next unread one ahead itself rather than wait, so the two
/// threads leapfrog along the pack.
///
/// Only one pack is read ahead (the walk picks its largest); a commit anywhere else, a delta, or
/// anything not read ahead in time, is left to the walk (`take` returns nil), which reads it as it
/// would without this. Results the walk does not ask for (commits of other branches) are dropped once
/// they are more than `window` objects away, so memory holds a few `window`s of commits at most,
/// besides the pack's order (4 bytes an object). Unchecked: all mutable state is guarded by `condition`.
final class PackReadAhead: @unchecked Sendable {
    /// What the walk keeps of a commit.
    struct ReadCommit {
        let time: Int64
        let parents: [ObjectID]
        /// `isWanted`'s answer for the commit.
        let wanted: Bool
        /// The commit's raw bytes, when it is wanted and the walk keeps those (`keepsWantedBytes`).
        let bytes: [UInt8]?
    }

    /// Where an object of the pack stands.
    private enum State: UInt8 {
        /// Nobody has read it. The first case, stored as zero: in fresh pages every object is here.
        case unread
        /// A thread is reading it.
        case reading
        /// Read; its result waits in `results`.
        case ready
        /// Done with: taken or read by the walk, or not a whole commit.
        case done
    }

    /// How far ahead of the walk, in pack objects, commits are read.
    static let window = 256

    private let packs: PackDirectory
    private let pack: Int
    private let isWanted: @Sendable (UnsafeBufferPointer<UInt8>, CommitHeader) -> Bool
    private let keepsWantedBytes: Bool
    /// The inflater of the walk's thread, for the commits it reads ahead while it would wait.
    private let walkInflater = PackedCommitInflater()
    private let condition = NSCondition()
    private let exited = DispatchGroup()
    private var order: PackObjectOrder?
    /// Each object's state by its position in `order`, a byte an object in pages of their own.
    private var states: MappedArray<State>?
    /// The commits read and not yet taken: a few times `window` at most.
    private var results: [Int: ReadCommit] = [:]
    /// The offsets of the commits the walk read while the pack was being ordered.
    private var readBeforeOrdered: [Int] = []
    /// Set when the pack cannot be ordered (see `PackObjectOrder`): nothing is read ahead.
    private var cannotOrder = false
    private var walkPosition = -1
    private var direction = 1
    private var cursor = -1
    private var stopping = false

    /// Starts reading ahead in pack number `pack` of `packs` once the walk takes its first commit
    /// there. `isWanted` is asked about each commit read, on either thread; with `keepsWantedBytes`,
    /// the wanted ones come with a copy of their raw bytes.
    init(packs: PackDirectory, pack: Int, keepsWantedBytes: Bool = false,
         isWanted: @escaping @Sendable (UnsafeBufferPointer<UInt8>, CommitHeader) -> Bool) {
        self.packs = packs
        self.pack = pack
        self.keepsWantedBytes = keepsWantedBytes
        self.isWanted = isWanted
        exited.enter()
        let thread = Thread { [self] in
            defer { exited.leave() }
            readAhead()
        }
        thread.name = "commitbridge-read-ahead"
        thread.start()
    }

    /// The commit stored at `offset` of pack number `pack`, if it was read ahead; nil when the walk
    /// must read it itself. Called by the walk, on one thread, once per commit.
    func take(pack: Int, offset: Int) -> ReadCommit? {
        guard pack == self.pack else { return nil }
        condition.lock()
        defer { condition.unlock() }
        guard let order, let states else {
            // Not ordered yet: the walk reads this one itself, and it is marked done once ordered.
            if !cannotOrder { readBeforeOrdered.append(offset) }
            return nil
        }
        guard let position = order.position(of: offset) else { return nil }
        follow(position)
        while true {
            switch states[position] {
            case .ready:
                states[position] = .done
                return results.removeValue(forKey: position)
            case .unread, .done:
                states[position] = .done
                return nil
            case .reading:
                if let ahead = nextUnread() {
                    states[ahead] = .reading
                    condition.unlock()
                    let read = self.read(ahead, in: order, with: walkInflater)
                    condition.lock()
                    store(read, at: ahead)
                } else {
                    condition.wait()
                }
            }
        }
    }

    /// How many commits are read and wait to be taken (for tests).
    var readyCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return results.count
    }

    /// Whether the pack is ordered, so that `take` can answer (for tests).
    var isOrdered: Bool {
        condition.lock()
        defer { condition.unlock() }
        return order != nil
    }

    /// Whether the pack turned out impossible to order (for tests).
    var failedToOrder: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cannotOrder
    }

    /// How many offsets of commits the walk read wait for the order (for tests).
    var offsetsWaitingForOrder: Int {
        condition.lock()
        defer { condition.unlock() }
        return readBeforeOrdered.count
    }

    /// Stops the reading thread and waits for it; the walk calls it when done (also after an error).
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }

    /// The reading thread: orders the pack, then reads whatever is unread ahead of the walk.
    private func readAhead() {
        let built = PackObjectOrder(packs.packs[pack])
        let inflater = PackedCommitInflater()
        condition.lock()
        defer { condition.unlock() }
        guard let built, let marks = MappedArray<State>(count: built.count) else {
            cannotOrder = true
            readBeforeOrdered = []
            return
        }
        order = built
        states = marks
        for offset in readBeforeOrdered {
            if let position = built.position(of: offset) { marks[position] = .done }
        }
        readBeforeOrdered = []
        while !stopping {
            guard let position = nextUnread() else {
                condition.wait()
                continue
            }
            marks[position] = .reading
            condition.unlock()
            let read = self.read(position, in: built, with: inflater)
            condition.lock()
            store(read, at: position)
        }
    }

    /// Notes where the walk is and which way it is going through the pack. Called with the lock held.
    private func follow(_ position: Int) {
        let step = position - walkPosition
        if walkPosition < 0, let states {
            // The first guess: tips near the start of the pack are in a clone's or a repack's order
            // (newest first), tips near its end in fast-import's (oldest first).
            direction = position < states.count / 2 ? 1 : -1
        } else if step != 0, abs(step) <= 64 {
            direction = step > 0 ? 1 : -1
        }
        walkPosition = position
        condition.broadcast()
    }

    /// The nearest unread object ahead of the walk, within `window`. Called with the lock held.
    private func nextUnread() -> Int? {
        guard walkPosition >= 0, let states else { return nil }
        var position = cursor
        let lead = (position - walkPosition) * direction
        if lead <= 0 || lead > Self.window { position = walkPosition + direction }
        while position >= 0, position < states.count, (position - walkPosition) * direction <= Self.window {
            if states[position] == .unread {
                cursor = position + direction
                return position
            }
            position += direction
        }
        cursor = position
        return nil
    }

    /// Keeps one result and wakes the other thread. Called with the lock held.
    private func store(_ read: ReadCommit?, at position: Int) {
        guard let states else { return }
        if let read {
            results[position] = read
            states[position] = .ready
            if results.count > 4 * Self.window { forgetResultsFarFromTheWalk(states) }
        } else {
            states[position] = .done
        }
        condition.broadcast()
    }

    /// Forgets the results more than `window` objects from the walk: commits it went past without
    /// asking for; if it asks for one later, it reads it itself. Called with the lock held.
    private func forgetResultsFarFromTheWalk(_ states: MappedArray<State>) {
        for position in Array(results.keys) where abs(position - walkPosition) > Self.window {
            results[position] = nil
            states[position] = .unread
        }
    }

    /// Reads the object at `position`: what the walk keeps of it when it is a commit stored whole and
    /// well formed, else nil (the walk then reads it itself, and reports whatever is wrong with it).
    private func read(_ position: Int, in order: PackObjectOrder, with inflater: PackedCommitInflater) -> ReadCommit? {
        guard let bytes = inflater.commit(pack: pack, offset: order.offset(at: position), in: packs) else { return nil }
        let header = CommitHeader(bytes)
        var parents: [ObjectID] = []
        parents.reserveCapacity(header.parentHexRanges.count)
        for hex in header.parentHexRanges {
            var parent = ObjectID.zero
            guard ObjectID.parse(hex, of: bytes, into: &parent) == nil else { return nil }
            parents.append(parent)
        }
        let wanted = isWanted(bytes, header)
        return ReadCommit(time: header.commitTime, parents: parents, wanted: wanted,
                          bytes: wanted && keepsWantedBytes ? Array(bytes) : nil)
    }
}

/// The objects of one pack in the order the pack file stores them: the offsets its index lists
/// (sorted there by object id), sorted by offset. A pack's own `.rev` file says the same, but git
/// 2.39 does not write one by default, so it is computed: a radix sort of 4-byte offsets, about a
/// millisecond per 200,000 objects.
///
/// `PackReadAhead` uses it to find the objects stored after (or before) a commit without reading the
/// commit first: in a pack that git wrote for a clone or a repack the commits come first, newest
/// first, so a walk from the tips mostly goes to the next commit in the file; in a pack that
/// `git fast-import` wrote, to the previous one.
///
/// The offsets live in pages of their own (`MappedArray`), 4 bytes an object, freed with the order.
final class PackObjectOrder {
    /// Every object's offset, ascending.
    private let offsets: MappedArray<UInt32>

    /// The order of `pack`'s objects; nil for a pack of 4 GiB or more (its offsets do not fit in
    /// 4 bytes), an index that points outside itself, or no memory to sort in.
    init?(_ pack: PackDirectory.Pack) {
        let count = pack.objectCount
        guard let keys = MappedArray<UInt32>(count: count), let scratch = MappedArray<UInt32>(count: count) else { return nil }
        let buffer = keys.buffer
        for position in 0..<count {
            let offset = PackDirectory.offset(in: pack, at: position)
            guard offset >= 0, offset <= Int(UInt32.max) else { return nil }
            buffer[position] = UInt32(offset)
        }
        guard Self.sort(buffer, scratch: scratch.buffer) else { return nil }
        offsets = keys
    }

    var count: Int { offsets.count }

    /// The offset of the object at `position`.
    func offset(at position: Int) -> Int { Int(offsets[position]) }

    /// The position of the object that starts at `offset`; nil when no object starts there.
    func position(of offset: Int) -> Int? {
        guard offset >= 0, offset <= Int(UInt32.max) else { return nil }
        let key = UInt32(offset)
        let sorted = offsets.buffer
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == key ? low : nil
    }

    /// Least significant digit first, 16 bits a pass; two passes leave the result in `keys`. False
    /// when there is no memory for the counts.
    private static func sort(_ keys: UnsafeMutableBufferPointer<UInt32>, scratch: UnsafeMutableBufferPointer<UInt32>) -> Bool {
        // In pages of its own as well: a 512 KiB block freed through `malloc` would raise its mapping
        // threshold, and keep later blocks of that size resident after they are freed.
        guard let countArray = MappedArray<Int>(count: 1 << 16) else { return false }
        let counts = countArray.buffer
        var source = keys, target = scratch
        for shift in [UInt32(0), 16] {
            for index in counts.indices { counts[index] = 0 }
            for key in source { counts[Int((key >> shift) & 0xffff)] += 1 }
            var start = 0
            for index in counts.indices {
                let next = start + counts[index]
                counts[index] = start
                start = next
            }
            for key in source {
                let digit = Int((key >> shift) & 0xffff)
                target[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&source, &target)
        }
        return true
    }
}
