import ArgumentParser
import CommitBridgeKit
import Foundation
import GitKit
import HookInstaller

/// Which hooks `install` / `uninstall` act on, and the installer they use.
struct HookSelection: ParsableArguments {
    @Flag(name: .long, help: "The post-commit hook.") var postCommit = false
    @Flag(name: .long, help: "The post-receive hook.") var postReceive = false
    @Flag(name: .long, help: "The commit-msg hook.") var commitMsg = false

    var isEmpty: Bool { !postCommit && !postReceive && !commitMsg }

    func kinds(default defaults: [HookKind]) -> [HookKind] {
        guard !isEmpty else { return defaults }
        return [(postCommit, HookKind.postCommit), (postReceive, .postReceive), (commitMsg, .commitMsg)]
            .filter(\.0).map(\.1)
    }

    /// Runs `body` with an installer for the repository. The built-in scripts are written to a
    /// temporary folder for the installer to read, and the folder is removed afterwards.
    static func withInstaller<T>(_ path: String?, _ body: (HookInstaller) throws -> T) throws -> T {
        let repository = try RepositoryOpener.open(path)
        let folder = NSTemporaryDirectory() + "commitbridge-hooks-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in EmbeddedHookScripts.scripts {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        return try body(HookInstaller(repository: repository, scriptsDirectory: folder, binaryPath: HookRunner.executablePath))
    }

    /// Installer failures are configuration errors (exit 2), one line each.
    static func mapErrors<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as HookInstallerError {
            throw CommitBridgeError.configuration(error.localizedDescription)
        }
    }
}
