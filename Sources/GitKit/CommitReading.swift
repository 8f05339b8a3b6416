import Clibgit2
import Foundation
import HistoryReader

/// A commit, copied into plain values (the type lives in `HistoryReader`, which builds it too).
public typealias Commit = HistoryReader.Commit

extension Managed where Kind == CommitKind {
    /// Looks a commit up by id.
    static func lookup(_ id: git_oid, in repository: RepositoryHandle) throws -> CommitHandle {
        var id = id
        return try make("git_commit_lookup", "cannot read commit \(id.hex)") { git_commit_lookup($0, repository.pointer, &id) }
    }

    /// The sha and parent count when `mustRead` rules the commit out from its raw message (a commit
    /// that declares an encoding is never ruled out); nil when it must be read in full.
    func screened(by mustRead: (Int, UnsafeBufferPointer<UInt8>) -> Bool) -> (sha: String, parentCount: Int)? {
        guard git_commit_message_encoding(pointer) == nil, let raw = git_commit_message_raw(pointer) else { return nil }
        let parentCount = Int(git_commit_parentcount(pointer))
        let message = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
        guard !mustRead(parentCount, message) else { return nil }
        return (git_commit_id(pointer).pointee.hex, parentCount)
    }

    /// Copies everything GitKit exposes into a plain value; the handle may be freed afterwards.
    func makeValue() -> Commit {
        let encodingName = git_commit_message_encoding(pointer).map { String(cString: $0) }
        let decoder = TextDecoder(encodingName: encodingName)
        let author = git_commit_author(pointer)
        return Commit(
            sha: git_commit_id(pointer).pointee.hex,
            message: decoder.decode(cString: git_commit_message_raw(pointer)),
            messageEncoding: encodingName,
            authorName: decoder.decode(cString: author?.pointee.name),
            authorEmail: decoder.decode(cString: author?.pointee.email),
            authorTime: author?.pointee.when.time ?? 0,
            committerTime: git_commit_time(pointer),
            parentCount: Int(git_commit_parentcount(pointer))
        )
    }
}

/// libgit2 as `HistoryReader`'s fallback: it reads what the reader does not (loose commits, deltas,
/// packs it cannot open). The one made by `Repository` uses the repository's own handle, under the
/// repository's lock; those made for reader threads open a handle of their own on the git directory
/// the first time they need one (commits read straight from pack files need none).
final class LibgitCommitFallback: CommitFallback {
    private let gitDirectory: String
    private var repository: RepositoryHandle?
    private var database: Managed<ObjectDatabaseKind>?

    /// A fallback on `repository`, which is at `gitDirectory`.
    init(repository: RepositoryHandle?, gitDirectory: String) {
        self.repository = repository
        self.gitDirectory = gitDirectory
    }

    private func handle() throws -> RepositoryHandle {
        if let repository { return repository }
        let opened = try RepositoryHandle.open(gitDirectory: gitDirectory)
        repository = opened
        return opened
    }

    func withRawCommit(_ id: ObjectID, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var oid = git_oid(id)
        let odb = try database ?? handle().objectDatabase()
        database = odb
        let object = try Managed<DatabaseObjectKind>.make("git_odb_read", "cannot read commit \(id.hex)") {
            git_odb_read($0, odb.pointer, &oid)
        }
        guard git_odb_object_type(object.pointer) == GIT_OBJECT_COMMIT, let data = git_odb_object_data(object.pointer) else {
            throw GitError(kind: .other, code: -1, libgit2Message: "", summary: "object \(id.hex) is not a commit")
        }
        try body(UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: git_odb_object_size(object.pointer)))
    }

    func readCommit(_ id: ObjectID, screen: ((Int, UnsafeBufferPointer<UInt8>) -> Bool)?) throws -> FallbackRead {
        let commit = try CommitHandle.lookup(git_oid(id), in: handle())
        if let screen, let unread = commit.screened(by: screen) {
            return .skipped(parentCount: unread.parentCount)
        }
        return .commit(commit.makeValue())
    }

    func makeFallbackForAnotherThread() -> any CommitFallback {
        LibgitCommitFallback(repository: nil, gitDirectory: gitDirectory)
    }
}

/// Decodes the raw bytes of a commit (message, author) into a Swift string,
/// following the commit's `encoding` header the way `git log` would.
struct TextDecoder {
    /// The encoding named by the commit, nil when it has none (meaning UTF-8).
    let encodingName: String?

    /// Whether the bytes are declared to be UTF-8 (explicitly or by omission).
    var isUTF8: Bool {
        guard let encodingName else { return true }
        let normalised = encodingName.lowercased()
        return normalised == "utf-8" || normalised == "utf8"
    }

    /// Decodes a NUL-terminated C string; a nil pointer gives "".
    func decode(cString: UnsafePointer<CChar>?) -> String {
        guard let cString else { return "" }
        return decode(UnsafeRawBufferPointer(start: cString, count: strlen(cString)))
    }

    /// Converts `bytes` from the declared encoding. UTF-8 input, an encoding glibc does not
    /// know, and bytes that are invalid in the declared encoding all fall back to lossy UTF-8
    /// decoding, where every invalid byte becomes U+FFFD.
    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        if !isUTF8, let encodingName,
           let converter = IconvConverter(fromEncoding: encodingName),
           let converted = converter.convert(bytes) {
            return String(decoding: converted, as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Owns a glibc `iconv_t` converting from some encoding to UTF-8, and closes it when done.
final class IconvConverter {
    private let descriptor: iconv_t

    /// Opens a converter from `encoding` to UTF-8; nil when glibc does not know the encoding.
    init?(fromEncoding encoding: String) {
        let opened = iconv_open("UTF-8", encoding)
        // iconv_open signals failure with (iconv_t)-1.
        guard let opened, Int(bitPattern: opened) != -1 else { return nil }
        descriptor = opened
    }

    deinit {
        iconv_close(descriptor)
    }

    /// Converts `input` to UTF-8 bytes; nil when the input is not valid in the source
    /// encoding (EILSEQ), ends in the middle of a character (EINVAL), or iconv fails otherwise.
    func convert(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let inputStart = input.baseAddress, !input.isEmpty else { return [] }
        var inputCursor: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(
            mutating: inputStart.assumingMemoryBound(to: CChar.self))
        var inputLeft = input.count
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0

        // First convert the text, then let stateful encodings emit their closing shift sequence
        // (iconv with a nil input). Either step may need a larger output buffer.
        for flushing in [false, true] {
            while true {
                var failure: Int32 = 0
                output.withUnsafeMutableBytes { buffer in
                    var outputCursor: UnsafeMutablePointer<CChar>? =
                        (buffer.baseAddress! + produced).assumingMemoryBound(to: CChar.self)
                    var outputLeft = buffer.count - produced
                    let result = flushing
                        ? iconv(descriptor, nil, nil, &outputCursor, &outputLeft)
                        : iconv(descriptor, &inputCursor, &inputLeft, &outputCursor, &outputLeft)
                    produced = buffer.count - outputLeft
                    if result == -1 { failure = errno }
                }
                if failure == 0 { break }
                guard failure == E2BIG else { return nil }
                output.append(contentsOf: repeatElement(0, count: output.count))
            }
        }
        return Array(output[..<produced])
    }
}
