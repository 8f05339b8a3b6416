import Clibgit2
import HistoryReader

/// A kind of libgit2 handle GitKit owns, and how to free one.
protocol HandleKind {
    static func free(_ pointer: OpaquePointer)
}

/// Owns one libgit2 handle of kind `Kind` and frees it when the owner goes away. Every handle GitKit
/// keeps is one of these; what each kind offers is in the extensions where it is used.
final class Managed<Kind: HandleKind> {
    let pointer: OpaquePointer

    /// Takes ownership of a handle libgit2 returned.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        Kind.free(pointer)
    }

    /// Calls the libgit2 function `function` through `create`, which hands it the place for the new
    /// handle, and takes ownership of what it made; a failure is thrown as `"<operation>: <libgit2 text>"`.
    static func make(_ function: String, _ operation: @autoclosure () -> String,
                     _ create: (UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws -> Managed {
        var made: OpaquePointer?
        try LibraryCall.check(create(&made), operation())
        guard let made else { throw GitError.nullResult(function) }
        return Managed(taking: made)
    }
}

enum RepositoryKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_repository_free(pointer) } }
enum CommitKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_commit_free(pointer) } }
enum ObjectKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_object_free(pointer) } }
enum ObjectDatabaseKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_odb_free(pointer) } }
enum DatabaseObjectKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_odb_object_free(pointer) } }
enum ReferenceKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_reference_free(pointer) } }
enum ReferenceIteratorKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_reference_iterator_free(pointer) } }
enum RemoteKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_remote_free(pointer) } }
enum RevisionWalkerKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_revwalk_free(pointer) } }
enum ConfigKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_config_free(pointer) } }
enum ConfigIteratorKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_config_iterator_free(pointer) } }
enum IndexKind: HandleKind { static func free(_ pointer: OpaquePointer) { git_index_free(pointer) } }

typealias RepositoryHandle = Managed<RepositoryKind>
typealias CommitHandle = Managed<CommitKind>
typealias ObjectHandle = Managed<ObjectKind>
typealias ReferenceHandle = Managed<ReferenceKind>

extension Managed where Kind == RepositoryKind {
    /// Opens the repository at `gitDirectory` as it is (no discovery), with loose objects checked
    /// (see `CheckedLooseBackend`).
    static func open(gitDirectory: String) throws -> RepositoryHandle {
        let handle = try make("git_repository_open", "cannot open \(gitDirectory) for reading") {
            git_repository_open($0, gitDirectory)
        }
        try CheckedLooseBackend.install(on: handle.pointer)
        return handle
    }

    /// The repository's object database.
    func objectDatabase() throws -> Managed<ObjectDatabaseKind> {
        try .make("git_repository_odb", "cannot open the object database") { git_repository_odb($0, pointer) }
    }
}

extension Managed where Kind == ObjectKind {
    /// The object's id.
    var id: git_oid {
        git_object_id(pointer).pointee
    }

    /// Peels tags (and anything else peelable) down to a commit.
    func peeledToCommit() throws -> ObjectHandle {
        try .make("git_object_peel", "cannot peel object to a commit") { git_object_peel($0, pointer, GIT_OBJECT_COMMIT) }
    }
}

extension git_oid {
    /// The same id as `HistoryReader` spells it.
    var objectID: ObjectID {
        var id = self
        return withUnsafeBytes(of: &id) { ObjectID(bytes: $0) }
    }

    /// The 40-character lowercase hexadecimal form.
    var hex: String { objectID.hex }

    /// The libgit2 form of `id`.
    init(_ id: ObjectID) {
        self.init()
        id.withUnsafeBytes { bytes in withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: bytes) } }
    }
}
