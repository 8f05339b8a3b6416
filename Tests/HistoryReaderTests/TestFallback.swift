import Foundation
import GitKit
@testable import HistoryReader
import XCTest

/// The tests' fallback: raw commits from `git cat-file`, whole commits from GitKit's `Repository`
/// (libgit2). It notes every commit it is asked for, and can be told to fail for some.
final class RecordingFallback: CommitFallback, @unchecked Sendable {
    let repo: String
    private let repository: Repository
    private let lock = NSLock()
    private var raw: [ObjectID] = []
    private var read: [ObjectID] = []
    /// Commits to fail for, with `Refused`.
    var refusing: Set<ObjectID> = []

    struct Refused: Error, Equatable { let sha: String }

    init(repo: String) throws {
        self.repo = repo
        repository = try Repository.discover(at: repo)
    }

    /// The commits whose raw bytes were asked for.
    var rawReads: Set<ObjectID> { lock.withLock { Set(raw) } }
    /// The commits read in full (or screened).
    var commitReads: Set<ObjectID> { lock.withLock { Set(read) } }

    func withRawCommit(_ id: ObjectID, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        lock.withLock { raw.append(id) }
        if refusing.contains(id) { throw Refused(sha: id.hex) }
        let bytes = try XCTUnwrap(rawCommits(in: repo, [id.hex])[id.hex], "no commit \(id.hex)")
        try bytes.withUnsafeBufferPointer(body)
    }

    func readCommit(_ id: ObjectID, screen: ((Int, UnsafeBufferPointer<UInt8>) -> Bool)?) throws -> FallbackRead {
        lock.withLock { read.append(id) }
        if refusing.contains(id) { throw Refused(sha: id.hex) }
        let commit = try repository.commit(id.hex)
        if let screen, commit.messageEncoding == nil, let bytes = rawCommits(in: repo, [id.hex])[id.hex] {
            let skipped = bytes.withUnsafeBufferPointer { buffer in
                !screen(commit.parentCount, UnsafeBufferPointer(rebasing: buffer[CommitHeader(buffer).messageRange]))
            }
            if skipped { return .skipped(parentCount: commit.parentCount) }
        }
        return .commit(commit)
    }

    func makeFallbackForAnotherThread() -> any CommitFallback { self }
}

/// The raw bytes of commits `shas` exactly as git stores them, through one `git cat-file --batch`.
func rawCommits(in repo: String, _ shas: [String]) -> [String: [UInt8]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", repo, "cat-file", "--batch"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    guard (try? process.run()) != nil else { return [:] }
    let request = Data(shas.map { $0 + "\n" }.joined().utf8)
    DispatchQueue.global().async {
        input.fileHandleForWriting.write(request)
        try? input.fileHandleForWriting.close()
    }
    let data = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    var result: [String: [UInt8]] = [:]
    var position = 0
    while let newline = data[position...].firstIndex(of: 0x0A) {
        let fields = String(decoding: data[position..<newline], as: UTF8.self).split(separator: " ")
        position = newline + 1
        guard fields.count == 3, fields[1] == "commit", let size = Int(fields[2]) else { continue }
        result[String(fields[0])] = Array(data[position..<(position + size)])
        position += size + 1
    }
    return result
}

/// The id written as `sha`.
func objectID(_ sha: String) -> ObjectID {
    ObjectID(hex: sha)!
}
