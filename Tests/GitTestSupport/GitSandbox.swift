import Foundation
import TestSupport
import XCTest

/// A temporary directory in which tests build real repositories with the `git` command-line tool.
///
/// Every git invocation runs with a fixed environment (identity, HOME inside the sandbox, no system
/// config) and gets its own author/committer date, one second later than the previous one, so
/// commit order is deterministic.
public final class GitSandbox {
    /// Root of the sandbox; removed when the sandbox is released.
    public let root: URL
    private var clock: Int = 1_700_000_000

    public init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        let created = base.appendingPathComponent("gitkit-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: created, withIntermediateDirectories: true)
        // Resolve symlinks (e.g. /tmp -> /private/tmp) so paths compare equal to libgit2's.
        root = created.resolvingSymlinksInPath()
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// `root/relative`, as a path string.
    public func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// Creates a repository with `git init -q -b main` (plus `extra` arguments) at `root/name`.
    @discardableResult
    public func makeRepository(_ name: String, _ extra: String...) throws -> String {
        let directory = path(name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try git(in: directory, ["init", "-q", "-b", "main"] + extra)
        return directory
    }

    /// Makes an empty commit with `message` and returns its SHA.
    @discardableResult
    public func commit(in directory: String, _ message: String) throws -> String {
        try git(in: directory, ["commit", "-q", "--allow-empty", "-m", message])
        return try git(in: directory, ["rev-parse", "HEAD"])
    }

    /// Commits a message given as raw bytes (through a file, `--cleanup=verbatim`), with optional
    /// `-c` configuration such as `i18n.commitEncoding=ISO-8859-1`. Returns the SHA.
    @discardableResult
    public func commit(in directory: String, rawMessage: [UInt8], config: [String] = []) throws -> String {
        let file = path("message-\(UUID().uuidString)")
        try Data(rawMessage).write(to: URL(fileURLWithPath: file))
        let options = config.flatMap { ["-c", $0] }
        try git(in: directory, options + ["commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", file])
        return try git(in: directory, ["rev-parse", "HEAD"])
    }

    /// Writes a commit object by hand (no checks or re-encoding by `git commit`) on an empty tree
    /// and returns its SHA. `headers` are extra raw header lines such as `encoding utf8`;
    /// `author` is the raw author identity without the date.
    @discardableResult
    public func writeCommitObject(
        in directory: String,
        author: [UInt8] = Array("Ada Author <ada@example.com>".utf8),
        authorTime: Int = 1_700_000_100,
        committerTime: Int = 1_700_000_200,
        headers: [[UInt8]] = [],
        message: [UInt8]
    ) throws -> String {
        let emptyTree = try git(in: directory, ["mktree"], input: Data())
        var object = Array("tree \(emptyTree)\n".utf8)
        object += Array("author ".utf8) + author + Array(" \(authorTime) +0000\n".utf8)
        object += Array("committer Cid Committer <cid@example.com> \(committerTime) +0000\n".utf8)
        for header in headers { object += header + [0x0A] }
        object += [0x0A] + message
        // --literally: some tests write commits that git's own checks would refuse.
        return try git(in: directory, ["hash-object", "--literally", "-t", "commit", "-w", "--stdin"], input: Data(object))
    }

    /// `git rev-list --reverse --date-order <arguments>`, one SHA per element.
    /// Adds `count` commits on `refs/heads/main`, each the parent of the next, through one
    /// `git fast-import`: commit `n` (from 1) has `message(n)` and committer time `time(n)`.
    public func importLinearHistory(in directory: String, count: Int, message: (Int) -> String,
                             time: (Int) -> Int = { 1_500_000_000 + $0 * 60 }) throws {
        var stream = ""
        for number in 1...count {
            let text = message(number)
            stream += "commit refs/heads/main\nmark :\(number)\n"
            stream += "committer Bench <bench@example.com> \(time(number)) +0000\n"
            stream += "data \(text.utf8.count)\n\(text)"
            if number > 1 { stream += "from :\(number - 1)\n" }
            stream += "\n"
        }
        try git(in: directory, ["fast-import", "--quiet"], input: Data(stream.utf8))
    }

    public func revList(in directory: String, _ arguments: [String]) throws -> [String] {
        let output = try git(in: directory, ["rev-list", "--reverse", "--date-order"] + arguments)
        return output.split(separator: "\n").map(String.init)
    }

    /// Runs git in `directory` and returns its standard output without the trailing newline.
    /// Fails (throws) when git exits with a non-zero status. `date` replaces the sandbox clock
    /// for this one call (author and committer date, git's `@seconds +zone` form).
    @discardableResult
    public func git(in directory: String, _ arguments: [String], input: Data? = nil, date: String? = nil) throws -> String {
        clock += 1
        let date = date ?? "@\(clock) +0000"
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": root.path,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Ada Author",
            "GIT_AUTHOR_EMAIL": "ada@example.com",
            "GIT_COMMITTER_NAME": "Cid Committer",
            "GIT_COMMITTER_EMAIL": "cid@example.com",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "LC_ALL": "C",
        ]
        // posix_spawn through TestSupport's runner: Foundation's Process.run has crashed in a
        // memmove here under load.
        let result = try ProcessRunner.run("/usr/bin/git", arguments, directory: directory, environment: environment, stdin: input)
        guard result.status == 0 else {
            throw SandboxError.gitFailed(arguments: arguments, status: result.status, stderr: result.err)
        }
        let outputData = result.stdout
        var text = String(decoding: outputData, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The last author/committer date handed to git, in seconds since the epoch.
    public var lastDate: Int64 { Int64(clock) }
}

/// Failure of a git command run by a test.
public enum SandboxError: Error, CustomStringConvertible {
    case gitFailed(arguments: [String], status: Int32, stderr: String)

    public var description: String {
        switch self {
        case let .gitFailed(arguments, status, stderr):
            return "git \(arguments.joined(separator: " ")) exited with \(status): \(stderr)"
        }
    }
}
