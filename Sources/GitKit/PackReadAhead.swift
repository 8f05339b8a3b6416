import Clibgit2
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
        let parents: [git_oid]
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
        var parents: [git_oid] = []
        parents.reserveCapacity(header.parentHexRanges.count)
        for hex in header.parentHexRanges {
            var parent = git_oid()
            guard CommitHeader.parseParent(hex, of: bytes, into: &parent) == 0 else { return nil }
            parents.append(parent)
        }
        let wanted = isWanted(bytes, header)
        return ReadCommit(time: header.commitTime, parents: parents, wanted: wanted,
                          bytes: wanted && keepsWantedBytes ? Array(bytes) : nil)
    }
}
