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

    /// An installer for the repository, with the built-in scripts written to a temporary folder.
    static func installer(_ path: String?) throws -> HookInstaller {
        let repository = try RepositoryOpener.open(path)
        let folder = NSTemporaryDirectory() + "commitbridge-hooks-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in EmbeddedHookScripts.scripts {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        return HookInstaller(repository: repository, scriptsDirectory: folder, binaryPath: HookRunner.executablePath)
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
