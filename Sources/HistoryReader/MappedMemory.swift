import Glibc

/// A fixed-length array of plain values in pages of its own (an anonymous `mmap`), given back to the
/// system when it goes. glibc's `malloc` keeps large freed blocks in the heap after raising its
/// mapping threshold, where they still count as resident; walk-sized scratch arrays (several MiB on
/// a long history) must not raise the peak after they are freed. Starts zeroed. Not thread-safe.
final class MappedArray<Element: BitwiseCopyable> {
    let count: Int
    private let base: UnsafeMutablePointer<Element>?
    private let byteCount: Int

    /// An array of `count` zeroed elements; nil when the system has no memory for it.
    init?(count: Int) {
        self.count = count
        byteCount = max(1, count * MemoryLayout<Element>.stride)
        guard let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else { return nil }
        base = mapped.bindMemory(to: Element.self, capacity: max(count, 1))
    }

    deinit {
        if let base { munmap(base, byteCount) }
    }

    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "index out of range")
            return base![index]
        }
        set {
            precondition(index >= 0 && index < count, "index out of range")
            base![index] = newValue
        }
    }

    /// The elements as a buffer, for loops that must not check each index.
    var buffer: UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }
}


/// The raw bytes of the commits a scan will read again after its walk, kept from the walk so that
/// the reader threads need not inflate them a second time. All or nothing: once the next commit no
/// longer fits in `capacity`, everything kept is let go (its pages go back to the system) and nothing
/// more is kept, so a long history costs no more memory than before and reads as before.
///
/// Written by the walk's thread only; read by several threads once the walk is over.
final class RetainedCommitBytes: @unchecked Sendable {
    /// 4 MiB: the tagged commits of a history of some 30,000 commits with messages of a few lines.
    static let defaultCapacity = 4 << 20

    private var storage: MappedArray<UInt8>?
    private var used = 0
    private var entries: [ObjectID: Range<Int>] = [:]

    /// Keeps up to `capacity` bytes, in pages of their own that become resident as they are written.
    init(capacity: Int = RetainedCommitBytes.defaultCapacity) {
        storage = MappedArray(count: capacity)
    }

    /// Whether anything can still be read from here: false once the bytes outgrew the capacity.
    var isKeeping: Bool { storage != nil }

    /// How many commits are kept.
    var count: Int { entries.count }

    /// Keeps `bytes` as commit `id`'s, or lets everything go when they do not fit.
    func keep(_ bytes: UnsafeBufferPointer<UInt8>, of id: ObjectID) {
        guard let storage else { return }
        guard used + bytes.count <= storage.count else {
            self.storage = nil
            entries = [:]
            return
        }
        let target = UnsafeMutableBufferPointer(rebasing: storage.buffer[used..<(used + bytes.count)])
        _ = target.initialize(from: bytes)
        entries[id] = used..<(used + bytes.count)
        used += bytes.count
    }

    /// The bytes kept for commit `id`, valid as long as this object.
    func bytes(of id: ObjectID) -> UnsafeBufferPointer<UInt8>? {
        guard let storage, let range = entries[id] else { return nil }
        return UnsafeBufferPointer(rebasing: storage.buffer[range])
    }
}
