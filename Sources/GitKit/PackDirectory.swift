import Clibgit2
import Glibc

/// The pack files of one object database, opened for reading objects without libgit2: each `.idx`
/// (version 2) is mapped, each `.pack` is kept open for `pread`. It answers where an object starts;
/// `PackedCommitInflater` reads it from there.
///
/// Anything it cannot use (an index of another version, a truncated file, a pack without its index)
/// is left out, and so are loose objects and alternates: a caller that gets no location reads the
/// object through libgit2 as before. Immutable after `init`, so reader threads share one.
final class PackDirectory: @unchecked Sendable {
    /// One mapped index and its open pack file.
    struct Pack {
        let index: UnsafeRawBufferPointer
        let objectCount: Int
        let packFile: Int32
    }

    private(set) var packs: [Pack] = []

    /// At most this many packs are opened (each keeps a file open); a repository with more, which
    /// `git gc` would fold together, has the rest read through libgit2.
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
    func location(of id: git_oid) -> (pack: Int, offset: Int)? {
        var id = id
        return withUnsafeBytes(of: &id) { key -> (pack: Int, offset: Int)? in
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
