import Foundation

/// git's commit-graph file (`objects/info/commit-graph`), read directly: each commit's parents and
/// commit time without inflating the commit. libgit2 1.5.1 reads only version-1 generation data
/// and ignores the files git 2.39 writes by default; the parts read here (the id fanout and list,
/// and the commit data with its extra-edge list) are the same in both.
///
/// Only a single file is read; a split graph (`commit-graphs/commit-graph-chain`) and anything
/// malformed make `open` return nil, and the walk then reads every commit from the object database.
final class CommitGraphFile {
    private let base: UnsafeRawPointer
    private let length: Int
    /// Commits in the file.
    let count: Int
    private let fanout: Int
    private let idList: Int
    private let commitData: Int
    private let extraEdges: Int?
    private let extraEdgeCount: Int

    private static let hashLength = 20
    private static let noParent: UInt32 = 0x7000_0000
    private static let extraEdgeFlag: UInt32 = 0x8000_0000

    /// Maps `<objects directory>/info/commit-graph`, or returns nil when there is none or it cannot be used.
    static func open(objectsDirectory: String) -> CommitGraphFile? {
        let path = objectsDirectory + "/info/commit-graph"
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size >= 8 + 12 else { return nil }
        let length = Int(info.st_size)
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else { return nil }
        guard let graph = CommitGraphFile(base: UnsafeRawPointer(mapped), length: length) else {
            munmap(mapped, length)
            return nil
        }
        return graph
    }

    private init?(base: UnsafeRawPointer, length: Int) {
        self.base = base
        self.length = length
        func byte(_ offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }
        // "CGPH", version 1, SHA-1, chunk count, no base graphs.
        guard byte(0) == 0x43, byte(1) == 0x47, byte(2) == 0x50, byte(3) == 0x48,
              byte(4) == 1, byte(5) == 1, byte(7) == 0 else { return nil }
        let chunkCount = Int(byte(6))
        guard 8 + (chunkCount + 1) * 12 <= length else { return nil }
        var chunks: [UInt32: (start: Int, end: Int)] = [:]
        for index in 0..<chunkCount {
            let entry = 8 + index * 12
            let id = Self.bigEndian32(base, entry)
            let start = Self.bigEndian64(base, entry + 4)
            let end = Self.bigEndian64(base, entry + 16)
            guard start >= 0, start <= end, end <= length else { return nil }
            chunks[id] = (start, end)
        }
        guard let fanoutChunk = chunks[0x4F49_4446],   // OIDF
              let listChunk = chunks[0x4F49_444C],     // OIDL
              let dataChunk = chunks[0x4344_4154],     // CDAT
              fanoutChunk.end - fanoutChunk.start == 256 * 4 else { return nil }
        let total = Int(Self.bigEndian32(base, fanoutChunk.start + 255 * 4))
        guard listChunk.end - listChunk.start == total * Self.hashLength,
              dataChunk.end - dataChunk.start == total * (Self.hashLength + 16) else { return nil }
        count = total
        fanout = fanoutChunk.start
        idList = listChunk.start
        commitData = dataChunk.start
        if let edges = chunks[0x4544_4745] {           // EDGE
            extraEdges = edges.start
            extraEdgeCount = (edges.end - edges.start) / 4
        } else {
            extraEdges = nil
            extraEdgeCount = 0
        }
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), length)
    }

    private static func bigEndian32(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    private static func bigEndian64(_ base: UnsafeRawPointer, _ offset: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
    }

    /// The position of `id` in the file, or nil when the file does not hold it.
    func position(of id: ObjectID) -> Int? {
        id.withUnsafeBytes { wanted -> Int? in
            let first = Int(wanted[0])
            var low = first == 0 ? 0 : Int(Self.bigEndian32(base, fanout + (first - 1) * 4))
            var high = Int(Self.bigEndian32(base, fanout + first * 4))
            guard low <= high, high <= count else { return nil }
            while low < high {
                let middle = (low + high) / 2
                let order = memcmp(base + idList + middle * Self.hashLength, wanted.baseAddress!, Self.hashLength)
                if order == 0 { return middle }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }

    /// The id at `position`.
    func id(at position: Int) -> ObjectID {
        ObjectID(bytes: UnsafeRawBufferPointer(start: base + idList + position * Self.hashLength, count: Self.hashLength))
    }

    /// The commit time at `position` (seconds since the epoch).
    func commitTime(at position: Int) -> Int64 {
        let entry = commitData + position * (Self.hashLength + 16) + Self.hashLength + 8
        let high = Int64(Self.bigEndian32(base, entry) & 0x3)
        return high << 32 | Int64(Self.bigEndian32(base, entry + 4))
    }

    /// Appends the positions of the parents of the commit at `position`, in order. Returns false when
    /// the entry points outside the file (then it must not be trusted).
    func parents(at position: Int, into result: inout [Int]) -> Bool {
        let entry = commitData + position * (Self.hashLength + 16) + Self.hashLength
        let first = Self.bigEndian32(base, entry)
        let second = Self.bigEndian32(base, entry + 4)
        if first == Self.noParent { return true }
        guard Int(first) < count else { return false }
        result.append(Int(first))
        if second == Self.noParent { return true }
        if second & Self.extraEdgeFlag == 0 {
            guard Int(second) < count else { return false }
            result.append(Int(second))
            return true
        }
        guard let extraEdges else { return false }
        var edge = Int(second & ~Self.extraEdgeFlag)
        while edge < extraEdgeCount {
            let value = Self.bigEndian32(base, extraEdges + edge * 4)
            let parent = Int(value & ~Self.extraEdgeFlag)
            guard parent < count else { return false }
            result.append(parent)
            if value & Self.extraEdgeFlag != 0 { return true }
            edge += 1
        }
        return false
    }
}
