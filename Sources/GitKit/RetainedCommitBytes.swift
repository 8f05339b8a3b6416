import Clibgit2

/// The raw bytes of the commits a scan will read again after its walk, kept from the walk so that
/// the reader threads need not inflate them a second time. All or nothing: once the next commit no
/// longer fits in `capacity`, everything kept is let go (its pages go back to the system) and nothing
/// more is kept, so a long history costs no more memory than before and reads as before.
///
/// Written by the walk's thread only; read by several threads once the walk is over.
final class RetainedCommitBytes: @unchecked Sendable {
    private struct Key: Hashable {
        let head: UInt64
        let middle: UInt64
        let tail: UInt32

        init(_ id: git_oid) {
            var id = id
            (head, middle, tail) = withUnsafeBytes(of: &id) {
                ($0.loadUnaligned(fromByteOffset: 0, as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 $0.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
            }
        }
    }

    /// 4 MiB: the tagged commits of a history of some 30,000 commits with messages of a few lines.
    static let defaultCapacity = 4 << 20

    private var storage: MappedArray<UInt8>?
    private var used = 0
    private var entries: [Key: Range<Int>] = [:]

    /// Keeps up to `capacity` bytes, in pages of their own that become resident as they are written.
    init(capacity: Int = RetainedCommitBytes.defaultCapacity) {
        storage = MappedArray(count: capacity)
    }

    /// Whether anything can still be read from here: false once the bytes outgrew the capacity.
    var isKeeping: Bool { storage != nil }

    /// How many commits are kept.
    var count: Int { entries.count }

    /// Keeps `bytes` as commit `id`'s, or lets everything go when they do not fit.
    func keep(_ bytes: UnsafeBufferPointer<UInt8>, of id: git_oid) {
        guard let storage else { return }
        guard used + bytes.count <= storage.count else {
            self.storage = nil
            entries = [:]
            return
        }
        let target = UnsafeMutableBufferPointer(rebasing: storage.buffer[used..<(used + bytes.count)])
        _ = target.initialize(from: bytes)
        entries[Key(id)] = used..<(used + bytes.count)
        used += bytes.count
    }

    /// The bytes kept for commit `id`, valid as long as this object.
    func bytes(of id: git_oid) -> UnsafeBufferPointer<UInt8>? {
        guard let storage, let range = entries[Key(id)] else { return nil }
        return UnsafeBufferPointer(rebasing: storage.buffer[range])
    }
}
