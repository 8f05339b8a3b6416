import Foundation
import GitKit
import HookInstaller

/// `install` and `uninstall`: put commitbridge's hook scripts in place, chaining any hook already
/// there, and take them away again, restoring what they chained.
public enum InstallService {
    /// The hooks commitbridge can install, by their file names.
    public enum Hook: String, CaseIterable, Sendable {
        case postCommit = "post-commit"
        case prePush = "pre-push"
        case postReceive = "post-receive"
        case commitMsg = "commit-msg"

        var kind: HookKind { HookKind(rawValue: rawValue)! }
    }

    /// Installs `hooks` (nil: the defaults, post-commit, pre-push and commit-msg in a work tree,
    /// post-receive in a bare repository). Returns one line per hook saying what was done.
    public static func install(_ hooks: [Hook]?, repositoryPath: String?) throws -> [String] {
        try withInstaller(repositoryPath) { installer in
            try installer.install(hooks.map { $0.map(\.kind) } ?? installer.defaultKinds).map(\.description)
        }
    }

    /// Removes `hooks` (nil: all of them). Returns one line per hook saying what was done.
    public static func uninstall(_ hooks: [Hook]?, repositoryPath: String?) throws -> [String] {
        try withInstaller(repositoryPath) { installer in
            try installer.uninstall(hooks.map { $0.map(\.kind) } ?? HookKind.allCases).map(\.description)
        }
    }

    /// The state of each default hook, for doctor.
    static func statuses(_ repository: Repository) throws -> [(HookKind, HookStatus)] {
        try withInstaller(repository) { installer in
            try installer.defaultKinds.map { ($0, try installer.status($0)) }
        }
    }

    private static func withInstaller<T>(_ path: String?, _ body: (HookInstaller) throws -> T) throws -> T {
        try withInstaller(Workspace.openRepository(path), body)
    }

    /// Runs `body` with an installer for `repository`. The built-in scripts are written to a
    /// temporary folder for the installer to read, and the folder is removed afterwards. The
    /// installer's failures are configuration errors (exit 2), one line each.
    private static func withInstaller<T>(_ repository: Repository, _ body: (HookInstaller) throws -> T) throws -> T {
        let folder = NSTemporaryDirectory() + "commitbridge-hooks-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in EmbeddedHookScripts.scripts {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        do {
            return try body(HookInstaller(repository: repository, scriptsDirectory: folder, binaryPath: BackgroundProcess.executablePath))
        } catch let error as HookInstallerError {
            throw CommitBridgeError.configuration(error.localizedDescription)
        }
    }
}
