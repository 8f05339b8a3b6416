import Clibgit2
import Glibc

/// Reads one loose object (`objects/xx/yyyy…`: a zlib stream of `<type> <size>\0<content>`) with
/// zlib, checking it before anything parses it: a known type, a size that the file could hold, and
/// exactly `size` bytes of content, no more and no fewer, in a stream that ends where zlib says it
/// ends. libgit2 1.5.1 trusts the size in the header and corrupts its heap when the content is
/// longer; `CheckedLooseBackend` hands libgit2 only objects this has read.
enum LooseObjectInflater {
    /// What reading an object file gave.
    enum Outcome {
        /// The content, in a buffer from `allocate` (the caller owns it).
        case object(type: git_object_t, content: UnsafeMutableRawPointer, count: Int)
        /// Why the file is not a well-formed loose object.
        case damaged(String)
    }

    /// zlib expands data at most about 1,032 times; a header that claims more than that of the
    /// file's size is damaged, and nothing is allocated for it.
    private static let largestRatio = 1_100

    /// - Parameters:
    ///   - file: the whole object file.
    ///   - allocate: gives a buffer of the requested size (libgit2's allocator, for libgit2 to free).
    ///   - release: gives back a buffer from `allocate` when the object turns out damaged.
    static func read(_ file: UnsafeRawBufferPointer,
                     allocate: (Int) -> UnsafeMutableRawPointer?,
                     release: (UnsafeMutableRawPointer) -> Void) -> Outcome {
        guard file.count >= 2, let input = file.baseAddress else { return .damaged("it is empty") }
        let first = file[0], second = file[1]
        guard first & 0x8F == 0x08, (Int(first) << 8 | Int(second)) % 31 == 0 else {
            return .damaged("it is not a zlib stream")
        }
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .damaged("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(clamping: file.count)

        // The header: at most 32 bytes (`commit 18446744073709551615\0` is 28).
        var header = [UInt8](repeating: 0, count: 32)
        var headerCount = 0
        var ended = false
        var terminator: Int?
        while terminator == nil, headerCount < header.count, !ended {
            let result = header.withUnsafeMutableBufferPointer { buffer -> Int32 in
                stream.next_out = buffer.baseAddress! + headerCount
                stream.avail_out = UInt32(buffer.count - headerCount)
                return inflate(&stream, Z_NO_FLUSH)
            }
            let produced = header.count - headerCount - Int(stream.avail_out)
            guard result == Z_OK || result == Z_STREAM_END else { return .damaged("its zlib stream is broken") }
            if produced == 0 && result == Z_OK && stream.avail_in == 0 { return .damaged("its zlib stream is cut short") }
            terminator = header[headerCount..<(headerCount + produced)].firstIndex(of: 0)
            headerCount += produced
            ended = result == Z_STREAM_END
        }
        guard let terminator, let parsed = parseHeader(header[0..<terminator]) else {
            return .damaged("its header is not '<type> <size>'")
        }
        let (type, size) = parsed
        guard size <= file.count * largestRatio + 64 else {
            return .damaged("its header says \(size) bytes, more than the file could hold")
        }
        let early = headerCount - terminator - 1   // content bytes that came with the header
        guard early <= size else {
            return .damaged("its header says \(size) bytes but it holds more")
        }
        guard let content = allocate(size + 1) else { return .damaged("\(size) bytes could not be allocated") }
        header.withUnsafeBytes { bytes in
            content.copyMemory(from: bytes.baseAddress! + terminator + 1, byteCount: early)
        }
        var filled = early
        var problem: String?
        while !ended {
            if filled == size {
                // The content is complete: the stream must end now, without a byte more.
                var spare: [UInt8] = [0]
                let result = spare.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = 1
                    return inflate(&stream, Z_NO_FLUSH)
                }
                if stream.avail_out == 0 { problem = "its header says \(size) bytes but it holds more"; break }
                if result == Z_STREAM_END { ended = true; break }
                if result != Z_OK || stream.avail_in == 0 { problem = "its zlib stream is broken or cut short"; break }
                continue
            }
            stream.next_out = (content + filled).assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(clamping: size - filled)
            let before = Int(stream.avail_out)
            let result = inflate(&stream, Z_NO_FLUSH)
            filled += before - Int(stream.avail_out)
            if result == Z_STREAM_END { ended = true; break }
            if result != Z_OK && result != Z_BUF_ERROR { problem = "its zlib stream is broken"; break }
            if before == Int(stream.avail_out) && stream.avail_in == 0 { problem = "its zlib stream is cut short"; break }
        }
        if problem == nil && filled != size {
            problem = "its header says \(size) bytes but it holds \(filled)"
        }
        if let problem {
            release(content)
            return .damaged(problem)
        }
        content.storeBytes(of: 0, toByteOffset: size, as: UInt8.self)
        return .object(type: type, content: content, count: size)
    }

    /// `commit 123`: the type and the size, or nil for anything else.
    private static func parseHeader(_ bytes: ArraySlice<UInt8>) -> (git_object_t, Int)? {
        guard let space = bytes.firstIndex(of: 0x20) else { return nil }
        let type: git_object_t
        switch String(decoding: bytes[..<space], as: UTF8.self) {
        case "commit": type = GIT_OBJECT_COMMIT
        case "tree": type = GIT_OBJECT_TREE
        case "blob": type = GIT_OBJECT_BLOB
        case "tag": type = GIT_OBJECT_TAG
        default: return nil
        }
        let digits = bytes[(space + 1)...]
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return (type, digits.reduce(0) { $0 * 10 + Int($1 - 0x30) })
    }
}
