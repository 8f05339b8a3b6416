import CZlib
import Clibgit2
import Glibc
import HistoryReader

/// An object database backend that answers libgit2's reads of loose objects (`objects/xx/yyyy…`)
/// through `LooseObjectInflater`, so that libgit2 never parses a loose object GitKit has not
/// checked: a damaged one (a header whose size is smaller than the content crashed libgit2 1.5.1)
/// becomes an error naming the object. It sits between the pack backend and libgit2's own loose
/// backend, so packed objects cost it nothing and libgit2's loose backend only sees what this one
/// leaves to it (objects it does not hold). Objects of alternate object directories are not checked.
enum CheckedLooseBackend {
    /// libgit2 gives packs priority 2 and loose objects 1; backends of equal priority keep the order
    /// they were added in, so this one comes after the packs and before libgit2's loose backend.
    private static let priority: Int32 = 2

    /// The part of the backend libgit2 does not know about: where the objects are.
    private final class Context {
        let objectsDirectory: String
        init(objectsDirectory: String) { self.objectsDirectory = objectsDirectory }
    }

    private static let contextOffset = MemoryLayout<git_odb_backend>.stride

    /// Adds the backend to `repository`'s object database.
    static func install(on repository: OpaquePointer) throws {
        let odb = try Managed<ObjectDatabaseKind>.make("git_repository_odb", "cannot open the object database") {
            git_repository_odb($0, repository)
        }
        guard let common = git_repository_commondir(repository) else { return }
        var directory = String(cString: common)
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }

        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: contextOffset + MemoryLayout<UnsafeMutableRawPointer>.stride, alignment: 16)
        let backend = memory.bindMemory(to: git_odb_backend.self, capacity: 1)
        guard git_odb_init_backend(backend, UInt32(GIT_ODB_BACKEND_VERSION)) == 0 else {
            memory.deallocate()
            return
        }
        let context = Unmanaged.passRetained(Context(objectsDirectory: directory + "/objects")).toOpaque()
        (memory + contextOffset).storeBytes(of: context, as: UnsafeMutableRawPointer.self)
        backend.pointee.read = { data, length, type, backend, id in
            guard let data, let length, let type, let backend, let id else { return GIT_ERROR.rawValue }
            return CheckedLooseBackend.read(data, length, type, backend, id.pointee)
        }
        backend.pointee.read_prefix = { found, data, length, type, backend, prefix, digits in
            guard let found, let data, let length, let type, let backend, let prefix else { return GIT_ERROR.rawValue }
            return CheckedLooseBackend.readPrefix(found, data, length, type, backend, prefix.pointee, digits)
        }
        backend.pointee.free = { backend in
            guard let backend else { return }
            CheckedLooseBackend.release(backend)
        }
        let added = git_odb_add_backend(odb.pointer, backend, priority)
        if added < 0 {
            backend.pointee.free?(backend)
            try LibraryCall.check(added, "cannot check loose objects")
        }
    }

    /// Frees the backend and its context (libgit2 calls this when the object database goes).
    private static func release(_ backend: UnsafeMutablePointer<git_odb_backend>) {
        let memory = UnsafeMutableRawPointer(backend)
        Unmanaged<Context>.fromOpaque(memory.load(fromByteOffset: contextOffset, as: UnsafeMutableRawPointer.self)).release()
        memory.deallocate()
    }

    private static func read(_ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ length: UnsafeMutablePointer<Int>,
                             _ type: UnsafeMutablePointer<git_object_t>, _ backend: UnsafeMutablePointer<git_odb_backend>,
                             _ id: git_oid) -> Int32 {
        let context = Unmanaged<Context>.fromOpaque(
            UnsafeMutableRawPointer(backend).load(fromByteOffset: contextOffset, as: UnsafeMutableRawPointer.self)
        ).takeUnretainedValue()
        let hex = id.hex
        let path = context.objectsDirectory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        // Not loose here: the next backend (libgit2's, for alternates too) looks.
        guard descriptor >= 0 else { return GIT_ENOTFOUND.rawValue }
        defer { close(descriptor) }
        guard let file = readAll(descriptor) else { return GIT_ENOTFOUND.rawValue }
        defer { file.deallocate() }
        let outcome = LooseObjectInflater.read(
            UnsafeRawBufferPointer(file),
            allocate: { git_odb_backend_data_alloc(backend, $0) },
            release: { git_odb_backend_data_free(backend, $0) })
        switch outcome {
        case .object(let objectType, let content, let count):
            data.pointee = content
            length.pointee = count
            type.pointee = objectType
            return 0
        case .damaged(let problem):
            git_error_set_str(Int32(GIT_ERROR_ODB.rawValue), "object \(hex) is damaged (\(path)): \(problem)")
            return GIT_ERROR.rawValue
        }
    }

    /// An abbreviated id (`replay 1a2b3c4`): the one loose object whose id starts with its `digits`
    /// hexadecimal digits, read as `read` reads it. libgit2 asks every backend, so a damaged object
    /// is reported here before libgit2's loose backend would parse it.
    private static func readPrefix(_ found: UnsafeMutablePointer<git_oid>, _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                                   _ length: UnsafeMutablePointer<Int>, _ type: UnsafeMutablePointer<git_object_t>,
                                   _ backend: UnsafeMutablePointer<git_odb_backend>, _ prefix: git_oid, _ digits: Int) -> Int32 {
        guard digits < ObjectID.hexLength else {
            found.pointee = prefix
            return read(data, length, type, backend, prefix)
        }
        guard digits >= 2 else { return GIT_ENOTFOUND.rawValue }
        let context = Unmanaged<Context>.fromOpaque(
            UnsafeMutableRawPointer(backend).load(fromByteOffset: contextOffset, as: UnsafeMutableRawPointer.self)
        ).takeUnretainedValue()
        let wanted = String(prefix.hex.prefix(digits))
        let directory = context.objectsDirectory + "/" + wanted.prefix(2)
        let rest = wanted.dropFirst(2)
        guard let listing = opendir(directory) else { return GIT_ENOTFOUND.rawValue }
        defer { closedir(listing) }
        var matches: [String] = []
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.count == ObjectID.hexLength - 2, name.hasPrefix(rest), name.allSatisfy(\.isHexDigit) {
                matches.append(name)
                if matches.count > 1 { break }
            }
        }
        var id = git_oid()
        guard matches.count == 1, git_oid_fromstr(&id, String(wanted.prefix(2)) + matches[0]) == 0 else {
            if matches.count != 2 { return GIT_ENOTFOUND.rawValue }
            git_error_set_str(Int32(GIT_ERROR_ODB.rawValue), "'\(wanted)' matches more than one loose object")
            return GIT_EAMBIGUOUS.rawValue
        }
        found.pointee = id
        return read(data, length, type, backend, id)
    }

    /// The whole file, or nil when it cannot be read; at most 1 GiB (a loose commit is far smaller).
    private static func readAll(_ descriptor: Int32) -> UnsafeMutableRawBufferPointer? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size >= 0, status.st_size <= 1 << 30 else { return nil }
        let size = Int(status.st_size)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 16)
        var filled = 0
        while filled < size {
            let count = pread(descriptor, buffer.baseAddress! + filled, size - filled, off_t(filled))
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            filled += count
        }
        guard filled == size else {
            buffer.deallocate()
            return nil
        }
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size])
    }
}


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
