import CZlib
import Glibc

/// The pack files of one object database, opened for reading objects without libgit2: each `.idx`
/// (version 2) is mapped, each `.pack` is kept open for `pread`. It answers where an object starts;
/// `PackedCommitInflater` reads it from there.
///
/// Anything it cannot use (an index of another version, a truncated file, a pack without its index)
/// is left out, and so are loose objects and alternates: a caller that gets no location reads the
/// object through its `CommitFallback`. Immutable after `init`, so reader threads share one.
final class PackDirectory: @unchecked Sendable {
    /// One mapped index and its open pack file.
    struct Pack {
        let index: UnsafeRawBufferPointer
        let objectCount: Int
        let packFile: Int32
    }

    private(set) var packs: [Pack] = []

    /// At most this many packs are opened (each keeps a file open); a repository with more, which
    /// `git gc` would fold together, has the rest read through the fallback.
    static let maximumPacks = 64

    /// Opens the packs in `objectsDirectory/pack`; an unreadable directory gives no packs.
    init(objectsDirectory: String) {
        let directory = objectsDirectory + "/pack"
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name.hasSuffix(".idx") { names.append(String(name.dropLast(4))) }
        }
        for name in names.sorted() where packs.count < Self.maximumPacks {
            if let pack = Self.open(index: "\(directory)/\(name).idx", pack: "\(directory)/\(name).pack") {
                packs.append(pack)
            }
        }
    }

    deinit {
        for pack in packs {
            munmap(UnsafeMutableRawPointer(mutating: pack.index.baseAddress), pack.index.count)
            close(pack.packFile)
        }
    }

    /// Where the object `id` starts: the pack's number and the offset in its file; nil when no pack
    /// here holds it.
    func location(of id: ObjectID) -> (pack: Int, offset: Int)? {
        id.withUnsafeBytes { key -> (pack: Int, offset: Int)? in
            let first = Int(key[0])
            for (number, pack) in packs.enumerated() {
                let base = pack.index.baseAddress!
                var low = first == 0 ? 0 : Int(Self.bigEndian32(base, 8 + 4 * (first - 1)))
                var high = Int(Self.bigEndian32(base, 8 + 4 * first))
                let names = base + 8 + 1024
                while low < high {
                    let middle = (low + high) / 2
                    let order = memcmp(names + 20 * middle, key.baseAddress!, 20)
                    if order == 0 {
                        return (number, Self.offset(in: pack, at: middle))
                    }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
            }
            return nil
        }
    }

    /// The offset in its pack file of the object at `position` of the index (sorted by id); -1 when
    /// the index points past its own table.
    static func offset(in pack: Pack, at position: Int) -> Int {
        let base = pack.index.baseAddress!
        let count = pack.objectCount
        let small = bigEndian32(base, 8 + 1024 + 24 * count + 4 * position)
        guard small & 0x8000_0000 != 0 else { return Int(small) }
        // Offsets past 2 GiB are kept in a table of 8-byte entries after the 4-byte ones.
        let large = 8 + 1024 + 28 * count + 8 * Int(small & 0x7fff_ffff)
        guard large + 8 <= pack.index.count else { return -1 }
        return Int(truncatingIfNeeded: UInt64(bigEndian32(base, large)) << 32 | UInt64(bigEndian32(base, large + 4)))
    }

    private static func bigEndian32(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// Maps a version-2 index and opens its pack; nil for anything else.
    private static func open(index indexPath: String, pack packPath: String) -> Pack? {
        let indexFile = Glibc.open(indexPath, O_RDONLY | O_CLOEXEC)
        guard indexFile >= 0 else { return nil }
        defer { close(indexFile) }
        var status = stat()
        guard fstat(indexFile, &status) == 0 else { return nil }
        let size = Int(status.st_size)
        // Header, fan-out table, and the trailer's two checksums at least.
        guard size >= 8 + 1024 + 40,
              let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, indexFile, 0), mapped != MAP_FAILED else { return nil }
        let index = UnsafeRawBufferPointer(start: mapped, count: size)
        let base = UnsafeRawPointer(mapped)
        let count = Int(bigEndian32(base, 8 + 4 * 255))
        // "\377tOc", version 2, and room for every table the fan-out promises.
        guard bigEndian32(base, 0) == 0xff74_4f63, bigEndian32(base, 4) == 2,
              8 + 1024 + 28 * count + 40 <= size else {
            munmap(mapped, size)
            return nil
        }
        let packFile = Glibc.open(packPath, O_RDONLY | O_CLOEXEC)
        var signature = [UInt8](repeating: 0, count: 4)
        guard packFile >= 0, pread(packFile, &signature, 4, 0) == 4, signature == Array("PACK".utf8) else {
            if packFile >= 0 { close(packFile) }
            munmap(mapped, size)
            return nil
        }
        return Pack(index: index, objectCount: count, packFile: packFile)
    }
}


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
    /// unreadable. The caller then asks its fallback, which also reports any real damage.
    func commit(_ id: ObjectID, in packs: PackDirectory) -> UnsafeBufferPointer<UInt8>? {
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
