import Foundation

/// A real git repository in a fresh temporary directory, driven by the `git` command line.
///
/// Every commit gets a distinct, increasing date so that orderings are deterministic,
/// and git never reads the user's own configuration.
public final class GitSandbox: @unchecked Sendable {
    /// The temporary directory that holds everything this sandbox makes.
    public let root: String
    /// The work tree (or the bare repository's directory).
    public let path: String
    private var clock: Int = 1_700_000_000
    /// Variables added to every git command's environment (the hooks that git runs see them too).
    public var extraEnvironment: [String: String] = [:]

    /// Creates `root/repo` with `git init -b main` (bare when asked).
    public init(bare: Bool = false, name: String = "repo") throws {
        root = NSTemporaryDirectory() + "commitbridge-test-" + UUID().uuidString
        path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The environment every git command runs with: fixed identity, no user or system config.
    public var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("GIT_") { env[key] = nil }
        env["HOME"] = root
        env["XDG_CONFIG_HOME"] = root + "/.config"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_AUTHOR_NAME"] = "Ada Lovelace"
        env["GIT_AUTHOR_EMAIL"] = "ada@example.com"
        env["GIT_COMMITTER_NAME"] = "Ada Lovelace"
        env["GIT_COMMITTER_EMAIL"] = "ada@example.com"
        for (key, value) in extraEnvironment { env[key] = value }
        return env
    }

    /// Runs git in `directory` (default: the repository) and returns its trimmed stdout; throws on failure.
    @discardableResult
    public func git(_ arguments: [String], in directory: String? = nil, stdin: Data? = nil,
                    extraEnvironment: [String: String] = [:]) throws -> String {
        var env = environment
        for (key, value) in extraEnvironment { env[key] = value }
        let result = try ProcessRunner.run("/usr/bin/git", arguments, directory: directory ?? path, environment: env, stdin: stdin)
        guard result.status == 0 else {
            throw SandboxError.gitFailed(arguments.joined(separator: " "), result.err)
        }
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Makes a commit with `message` (changing a file so it is never empty) and returns its sha.
    @discardableResult
    public func commit(_ message: String, file: String = "file.txt", in directory: String? = nil,
                       author: String? = nil) throws -> String {
        clock += 60
        let dir = directory ?? path
        let filePath = dir + "/" + file
        let line = "change at \(clock)\n"
        if let handle = FileHandle(forWritingAtPath: filePath) {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            handle.closeFile()
        } else {
            try line.write(toFile: filePath, atomically: true, encoding: .utf8)
        }
        try git(["add", file], in: dir)
        let date = "\(clock) +0000"
        var extra = ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
        if let author { extra["GIT_AUTHOR_NAME"] = author }
        try git(["commit", "-q", "-F", "-"], in: dir, stdin: Data(message.utf8), extraEnvironment: extra)
        return try git(["rev-parse", "HEAD"], in: dir)
    }

    /// Runs a git command that creates a commit (merge, revert, …) with the next date.
    @discardableResult
    public func gitCommitting(_ arguments: [String], in directory: String? = nil, stdin: Data? = nil) throws -> String {
        clock += 60
        let date = "\(clock) +0000"
        return try git(arguments, in: directory, stdin: stdin,
                       extraEnvironment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
    }

    /// Writes raw bytes to a file in the sandbox root and returns its path.
    public func writeFile(_ name: String, _ data: Data) throws -> String {
        let file = root + "/" + name
        try data.write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// A git command in a sandbox failed.
public enum SandboxError: Error, CustomStringConvertible {
    case gitFailed(String, String)

    public var description: String {
        switch self {
        case .gitFailed(let command, let stderr): return "git \(command) failed: \(stderr)"
        }
    }
}
