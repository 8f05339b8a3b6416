import Foundation
import GitKit
import HookInstaller
import TestSupport
import XCTest

/// A sandbox repository and a fake `commitbridge` that appends each call (arguments, the commit-msg
/// file's first line, stdin) to a log, with helpers to run git and read files back.
final class HookBench {
    /// The project's hooks/ folder, the templates under test.
    static let scriptsDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("hooks").path

    /// The one line a hook prints when it cannot find the binary.
    static let notFoundLine = "commitbridge: binary not found; hook skipped (reinstall with 'commitbridge install')"

    let sandbox: GitSandbox
    /// Where the fake binaries log their calls.
    let logPath: String
    /// The default fake binary; logs lines starting with `call:`.
    let fakeBinary: String

    init(bare: Bool = false) throws {
        sandbox = try GitSandbox(bare: bare)
        // The installed post-commit starts commitbridge in the background; here it waits, so that the
        // log is complete when git returns (HookBackgroundTests covers the background path).
        sandbox.extraEnvironment["COMMITBRIDGE_HOOK_FOREGROUND"] = "1"
        logPath = sandbox.root + "/calls.log"
        fakeBinary = sandbox.root + "/bin/fake-commitbridge"
        try makeFakeBinary(at: fakeBinary)
    }

    /// The repository's path (work tree, or the bare repository).
    var path: String { sandbox.path }

    /// `.git/hooks` of the work tree (or `hooks` of the bare repository).
    var defaultHooksDirectory: String {
        FileManager.default.fileExists(atPath: path + "/.git") ? path + "/.git/hooks" : path + "/hooks"
    }

    /// Writes a fake commitbridge at `path` whose log lines start with `label:`.
    func makeFakeBinary(at path: String, label: String = "call") throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let quotedLog = "'" + logPath.replacingOccurrences(of: "'", with: "'\\''") + "'"
        try writeScript(path, """
            #!/bin/sh
            {
            \tprintf '%s:' '\(label)'
            \tprintf ' %s' "$@"
            \tprintf '\\n'
            \tif [ "$2" = commit-msg ]; then printf 'message: '; head -n 1 "$3"; fi
            \twhile IFS= read -r line; do printf 'stdin: %s\\n' "$line"; done
            } >>\(quotedLog)

            """)
    }

    /// An installer for the repository found at `at` (default: the sandbox).
    func installer(at start: String? = nil, binary: String? = nil, scripts: String? = nil) throws -> HookInstaller {
        HookInstaller(repository: try Repository.discover(at: start ?? path),
                      scriptsDirectory: scripts ?? Self.scriptsDirectory,
                      binaryPath: binary ?? fakeBinary)
    }

    /// The log's lines so far, with commit ids written `<sha>` (`rawLog` keeps them).
    var log: [String] {
        rawLog.map { $0.replacingOccurrences(of: "--commit [0-9a-f]{40}", with: "--commit <sha>", options: .regularExpression) }
    }

    /// The log's lines so far, as written.
    var rawLog: [String] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    /// Forgets the calls logged so far.
    func clearLog() {
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// Writes a shell script (or any text) with `mode`.
    func writeScript(_ path: String, _ text: String, mode: mode_t = 0o755) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(chmod(path, mode), 0)
    }

    /// The permission bits of `path`, nil when there is nothing.
    func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// The bytes of `path`, nil when there is nothing.
    func contents(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    /// Names in `directory`, sorted ([] when it does not exist).
    func listing(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Runs `executable` with the sandbox's git environment, whatever its exit status.
    func run(_ executable: String, _ arguments: [String] = [], in directory: String? = nil,
             stdin: Data? = nil, extraEnvironment: [String: String] = [:]) throws -> ProcessResult {
        var environment = sandbox.environment
        for (key, value) in extraEnvironment { environment[key] = value }
        return try ProcessRunner.run(executable, arguments, directory: directory ?? path,
                                     environment: environment, stdin: stdin)
    }

    /// Runs git with the sandbox's environment, whatever its exit status.
    func gitResult(_ arguments: [String], in directory: String? = nil, stdin: Data? = nil,
                   extraEnvironment: [String: String] = [:]) throws -> ProcessResult {
        try run("/usr/bin/git", arguments, in: directory, stdin: stdin, extraEnvironment: extraEnvironment)
    }

    /// Clones the (bare) sandbox repository to `<root>/<name>` and returns the clone's path.
    func clone(named name: String = "clone") throws -> String {
        let clonePath = sandbox.root + "/" + name
        try sandbox.git(["clone", "-q", path, clonePath], in: sandbox.root)
        return clonePath
    }
}
