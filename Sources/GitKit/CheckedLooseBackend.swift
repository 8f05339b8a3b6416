import Clibgit2
import Glibc

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
        var odbPointer: OpaquePointer?
        try LibraryCall.check(git_repository_odb(&odbPointer, repository), "cannot open the object database")
        guard let odb = odbPointer else { throw GitError.nullResult("git_repository_odb") }
        defer { git_odb_free(odb) }
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
        let added = git_odb_add_backend(odb, backend, priority)
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
        let hex = ObjectID.hex(id)
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
        let wanted = String(ObjectID.hex(prefix).prefix(digits))
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
