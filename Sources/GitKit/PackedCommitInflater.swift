import Clibgit2
import Glibc

/// Reads commit objects that a pack stores whole (not as a delta) straight from the pack file with
/// zlib, instead of through libgit2's object database. That skips libgit2's locks, allocations and
/// window bookkeeping; the inflation itself, most of the work, is the same. One per thread.
///
/// Reads go through a small buffer of the file (`pread`, nothing mapped), so resident memory does not
/// grow with the pack; neighbouring commits, which repacked packs keep together, share one read of
/// up to 64 KiB, and commits spread through a pack (as in a partial clone's) cost a 4 KiB read each.
final class PackedCommitInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var ready = false
    private var window: UnsafeMutableRawBufferPointer
    private var windowPack = -1
    private var windowStart = 0
    private var windowCount = 0
    /// How much the next read asks for: it doubles while reads land near the last one (commits
    /// kept together) and drops back to the minimum after a jump (commits spread through the pack).
    private var readSize = PackedCommitInflater.minimumRead
    private var output: UnsafeMutableRawBufferPointer

    private static let minimumRead = 4 << 10
    private static let maximumRead = 64 << 10

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        ready = inflateInit_(stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        window = .allocate(byteCount: Self.maximumRead, alignment: 16)
        output = .allocate(byteCount: 4096, alignment: 16)
    }

    deinit {
        if ready { inflateEnd(stream) }
        stream.deallocate()
        window.deallocate()
        output.deallocate()
    }

    /// The raw bytes of commit `id` (what `git cat-file commit` prints), valid until the next call;
    /// nil when `packs` does not hold it whole: not packed here, stored as a delta, not a commit, or
    /// unreadable. The caller then asks libgit2, which also reports any real damage.
    func commit(_ id: git_oid, in packs: PackDirectory) -> UnsafeBufferPointer<UInt8>? {
        guard let (pack, offset) = packs.location(of: id) else { return nil }
        return commit(pack: pack, offset: offset, in: packs)
    }

    /// The raw bytes of the object at `offset` of pack number `pack` when it is a commit stored whole,
    /// valid until the next call; nil for anything else (see `commit(_:in:)`).
    func commit(pack: Int, offset: Int, in packs: PackDirectory) -> UnsafeBufferPointer<UInt8>? {
        guard ready, offset >= 12, packs.packs.indices.contains(pack) else { return nil }
        let file = packs.packs[pack].packFile
        guard var position = load(pack: pack, file: file, at: offset) else { return nil }
        // The entry header: type in bits 4-6 of the first byte, the inflated size in 4 + 7n bits.
        var byte = window.load(fromByteOffset: position - windowStart, as: UInt8.self)
        let type = (byte >> 4) & 7
        var size = Int(byte & 0x0f)
        var shift = 4
        position += 1
        while byte & 0x80 != 0 {
            guard shift < 57, position < windowStart + windowCount else { return nil }
            byte = window.load(fromByteOffset: position - windowStart, as: UInt8.self)
            size |= Int(byte & 0x7f) << shift
            shift += 7
            position += 1
        }
        guard type == 1 else { return nil }  // OBJ_COMMIT; deltas (6, 7) are libgit2's to resolve
        if output.count < size + 1 {
            output.deallocate()
            output = .allocate(byteCount: max(size + 1, output.count * 2), alignment: 16)
        }
        guard inflateReset(stream) == Z_OK else { return nil }
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(size)
        while true {
            if position >= windowStart + windowCount {
                guard load(pack: pack, file: file, at: position, forward: true) != nil else { return nil }
            }
            let available = windowStart + windowCount - position
            stream.pointee.next_in = (window.baseAddress! + (position - windowStart)).assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_in = UInt32(available)
            let result = inflate(stream, Z_NO_FLUSH)
            position += available - Int(stream.pointee.avail_in)
            if result == Z_STREAM_END { break }
            // More input is needed; anything else (bad data, more output than the header said) fails.
            guard result == Z_OK || result == Z_BUF_ERROR, stream.pointee.avail_in == 0 else { return nil }
        }
        guard Int(stream.pointee.total_out) == size else { return nil }
        return UnsafeBufferPointer(start: output.baseAddress!.assumingMemoryBound(to: UInt8.self), count: size)
    }

    /// Makes sure the window holds the bytes at `offset` (and some after), reading the file when it
    /// does not; returns `offset`, or nil at the end of the file or on a read error. A fresh read
    /// ends a little past `offset` when walking backwards through the file (oldest-first order over
    /// a pack that keeps the newest commits first), and starts at `offset` otherwise.
    private func load(pack: Int, file: Int32, at offset: Int, forward: Bool = false) -> Int? {
        if pack == windowPack, offset >= windowStart, offset + 32 <= windowStart + windowCount {
            return offset
        }
        let near = pack == windowPack && abs(offset - windowStart) <= Self.maximumRead
        readSize = near ? min(2 * readSize, Self.maximumRead) : Self.minimumRead
        let backwards = !forward && near && offset < windowStart
        let start = backwards ? max(0, offset + 1024 - readSize) : offset
        let count = pread(file, window.baseAddress!, readSize, off_t(start))
        guard count > offset - start else {
            windowPack = -1
            return nil
        }
        windowPack = pack
        windowStart = start
        windowCount = count
        return offset
    }
}
