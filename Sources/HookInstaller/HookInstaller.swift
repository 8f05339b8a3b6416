import Foundation
import GitKit

/// Installs, updates and removes commitbridge's git hooks in one repository.
///
/// An existing hook that is not ours is never overwritten: it is moved next to ours
/// (`<name>.commitbridge-chained`) and our script runs it first; `uninstall` moves it back.
public struct HookInstaller: Sendable {
    /// The repository whose hooks are managed.
    public let repository: Repository
    /// The folder holding the hook scripts (the project's hooks/), used as templates.
    public let scriptsDirectory: String
    /// The absolute path written into each installed script's `COMMITBRIDGE_BIN=` line.
    public let binaryPath: String

    /// - Parameters:
    ///   - scriptsDirectory: the folder holding the hooks/ scripts (templates).
    ///   - binaryPath: absolute path written into `COMMITBRIDGE_BIN`.
    public init(repository: Repository, scriptsDirectory: String, binaryPath: String) {
        self.repository = repository
        self.scriptsDirectory = scriptsDirectory
        self.binaryPath = binaryPath
    }

    /// Where hooks live: `core.hooksPath` if set (a relative path is taken from the root of the work
    /// tree, or from the git directory of a bare repository, as git does), else `<commonDirectory>/hooks`.
    public var hooksDirectory: String {
        get throws { try hooksDirectory(for: .postCommit) }
    }

    /// Where git looks for `kind`. Differs from `hooksDirectory` only for post-receive in a repository
    /// with a work tree and a relative `core.hooksPath`: git runs push hooks from the git directory,
    /// so it resolves the relative path from there.
    public func hooksDirectory(for kind: HookKind) throws -> String {
        guard let configured = try repository.configString("core.hooksPath") else {
            return repository.commonDirectory + "/hooks"
        }
        guard !configured.isEmpty else { throw HookInstallerError.emptyHooksPath }
        let base: String
        if kind.runsInGitDirectory || repository.isBare {
            base = repository.gitDirectory
        } else {
            base = repository.workingDirectory ?? repository.gitDirectory
        }
        return ConfiguredPath.resolve(configured, relativeTo: base)
    }

    /// Default kinds: post-commit, pre-push and commit-msg in a work tree, post-receive in a bare
    /// repository.
    public var defaultKinds: [HookKind] {
        repository.isBare ? [.postReceive] : [.postCommit, .prePush, .commitMsg]
    }

    /// Installs or updates our scripts for `kinds`, chaining any foreign hook found in their place
    /// (in a shared hooks folder, see `isShared`: adding commitbridge's lines at its end instead).
    /// Everything is checked before the first file changes.
    public func install(_ kinds: [HookKind]) throws -> [InstallResult] {
        guard binaryPath.hasPrefix("/"), !binaryPath.contains(where: \.isNewline) else {
            throw HookInstallerError.invalidBinaryPath(binaryPath)
        }
        let plans = try distinct(kinds).map(installPlan)
        return try plans.map { try $0.apply() }
    }

    /// Removes our scripts for `kinds`, moving chained hooks back; foreign hooks are left alone.
    /// Everything is checked before the first file changes.
    public func uninstall(_ kinds: [HookKind]) throws -> [InstallResult] {
        let plans = try distinct(kinds).map(uninstallPlan)
        return try plans.map { try $0.apply() }
    }

    /// What is installed for `kind`.
    public func status(_ kind: HookKind) throws -> HookStatus {
        let place = try HookPlace(kind: kind, directory: hooksDirectory(for: kind))
        switch try HookFileSystem.entry(at: place.path) {
        case .missing:
            return .absent
        case .file(let contents, _) where HookTemplate.isOurs(contents):
            return HookFileSystem.exists(place.chainedPath) ? .installedChained(original: place.chainedPath) : .installed
        case .file(let contents, _) where SharedHookLines.isPresent(in: contents):
            return .installedChained(original: place.path)
        case .file, .brokenLink, .notAFile:
            return .foreign
        }
    }

    /// Whether `directory` is a hooks folder the team shares through git (`core.hooksPath` pointing
    /// into the work tree at files git tracks, as husky's `.husky`): a hook written there is
    /// committed and runs on every teammate's machine, so it names no binary path of this one, and
    /// a hook already there stays in place (commitbridge's lines are added at its end).
    public func isShared(_ directory: String) -> Bool {
        !repository.trackedFiles(under: directory).isEmpty
    }

    private func installPlan(for kind: HookKind) throws -> HookPlan {
        let place = try HookPlace(kind: kind, directory: hooksDirectory(for: kind))
        let template = try HookTemplate(kind: kind, scriptsDirectory: scriptsDirectory)
        let keepsChained = HookFileSystem.exists(place.chainedPath)
        let shared = isShared(place.directory)
        // In a shared folder the script finds commitbridge on each machine's PATH.
        let script = { (chained: Bool) in template.render(binaryPath: shared ? "" : binaryPath, chained: chained) }
        if shared, case .file(let contents, let mode) = try HookFileSystem.entry(at: place.path), !HookTemplate.isOurs(contents) {
            let wanted = SharedHookLines.adding(to: contents, kind: kind)
            if wanted == contents && mode & 0o111 != 0 {
                return try HookPlan(place: place, step: .none, action: .alreadyInstalled)
            }
            return try HookPlan(place: place, step: .write(wanted), action: .appended)
        }
        switch try HookFileSystem.entry(at: place.path) {
        case .notAFile:
            throw HookInstallerError.hookNotAFile(path: place.path)
        case .missing:
            // A hook kept by an earlier install whose script was since deleted is chained again.
            let action: HookAction = keepsChained ? .chained(existing: place.chainedPath) : .installed
            return try HookPlan(place: place, step: .write(script(keepsChained)), action: action)
        case .file(let contents, let mode) where HookTemplate.isOurs(contents):
            let wanted = script(keepsChained)
            if contents == wanted && mode == HookFileSystem.executableMode {
                return try HookPlan(place: place, step: .none, action: .alreadyInstalled)
            }
            return try HookPlan(place: place, step: .write(wanted), action: .updated)
        case .file, .brokenLink:
            guard !keepsChained else {
                throw HookInstallerError.chainedHookInTheWay(hook: place.path, chained: place.chainedPath)
            }
            return try HookPlan(place: place, step: .keepAndWrite(script(true)),
                                action: .chained(existing: place.chainedPath))
        }
    }

    private func uninstallPlan(for kind: HookKind) throws -> HookPlan {
        let place = try HookPlace(kind: kind, directory: hooksDirectory(for: kind))
        let keepsChained = HookFileSystem.exists(place.chainedPath)
        switch try HookFileSystem.entry(at: place.path) {
        case .missing where keepsChained:
            return try HookPlan(place: place, step: .restore, action: .restored)
        case .missing:
            return try HookPlan(place: place, step: .none, action: .notInstalled)
        case .file(let contents, _) where HookTemplate.isOurs(contents):
            return try HookPlan(place: place, step: keepsChained ? .restore : .remove,
                                action: keepsChained ? .restored : .removed)
        case .file(let contents, _) where SharedHookLines.isPresent(in: contents):
            return try HookPlan(place: place, step: .write(SharedHookLines.removing(from: contents)), action: .linesRemoved)
        case .file, .brokenLink, .notAFile:
            return try HookPlan(place: place, step: .none, action: .leftForeign)
        }
    }

    /// `kinds` in their order, each once.
    private func distinct(_ kinds: [HookKind]) -> [HookKind] {
        var seen = Set<HookKind>()
        return kinds.filter { seen.insert($0).inserted }
    }
}

/// The git hooks commitbridge can install; the raw value is the hook's file name.
public enum HookKind: String, CaseIterable, Sendable {
    /// Runs after each local commit; hands the new commit over.
    case postCommit = "post-commit"
    /// Runs before a push, with `<local ref> <local sha> <remote ref> <remote sha>` lines on stdin.
    case prePush = "pre-push"
    /// Runs in the repository that receives a push, with `<old> <new> <ref>` lines on stdin.
    case postReceive = "post-receive"
    /// Runs before a commit is made, with the message file's path; may reject the commit.
    case commitMsg = "commit-msg"

    /// Whether git runs this hook on the receiving side of a push, from the git directory
    /// rather than from the root of the work tree.
    var runsInGitDirectory: Bool { self == .postReceive }
}

/// What is found at a hook's path.
public enum HookStatus: Sendable, Equatable {
    /// No hook file.
    case absent
    /// Our script, alone.
    case installed
    /// Our script, running the hook that was there before, kept at `original`, first.
    case installedChained(original: String)
    /// Another tool's hook (no commitbridge marker); commitbridge leaves it alone.
    case foreign
}

/// What `install` or `uninstall` did to one hook.
public enum HookAction: Sendable, Equatable {
    /// Our script was written where there was no hook.
    case installed
    /// Our script was already there, byte for byte; nothing was written.
    case alreadyInstalled
    /// Our script was there but different (another binary path, say) and was rewritten in place.
    case updated
    /// Another hook was there: it was moved to `existing` and our script, which runs it first, took its place.
    case chained(existing: String)
    /// Our script was removed; no hook is left.
    case removed
    /// Our script was replaced by the hook it had been chaining, moved back unchanged.
    case restored
    /// `uninstall` found neither our script nor a chained hook.
    case notInstalled
    /// Another tool's hook is there; `uninstall` did not touch it.
    case leftForeign
    /// In a hooks folder the team shares through git, the hook there (another tool's, or the
    /// team's own) was kept in place and commitbridge's lines were added at its end.
    case appended
    /// `uninstall` took commitbridge's added lines out of a shared hook, leaving the rest as it was.
    case linesRemoved
}

/// The outcome of `install` or `uninstall` for one hook.
public struct InstallResult: Sendable, Equatable, CustomStringConvertible {
    /// Which hook.
    public let kind: HookKind
    /// The hook file's path.
    public let path: String
    /// What was done.
    public let action: HookAction

    /// Creates a result.
    public init(kind: HookKind, path: String, action: HookAction) {
        self.kind = kind
        self.path = path
        self.action = action
    }

    /// One line for people, e.g. `post-commit: installed (/repo/.git/hooks/post-commit)`.
    public var description: String {
        let what: String
        switch action {
        case .installed: what = "installed"
        case .alreadyInstalled: what = "already installed"
        case .updated: what = "updated"
        case .chained(let existing): what = "installed; the existing hook runs first, kept at \(existing)"
        case .removed: what = "removed"
        case .restored: what = "removed; the hook that was there before is back"
        case .notInstalled: what = "not installed"
        case .leftForeign: what = "not ours, left alone"
        case .appended: what = "commitbridge's lines added at the end of the shared hook; commit the change for your team"
        case .linesRemoved: what = "commitbridge's lines taken out of the shared hook"
        }
        return "\(kind.rawValue): \(what) (\(path))"
    }
}

/// Why hooks could not be installed, removed or inspected. Each description is one line.
public enum HookInstallerError: Error, LocalizedError, Equatable, Sendable {
    /// The hook script to install is not in the scripts folder.
    case templateMissing(path: String)
    /// The hook script lacks a line the installer needs (marker, binary line, chain point).
    case templateInvalid(path: String, reason: String)
    /// The binary path to write into the hooks is not absolute, or holds a line break.
    case invalidBinaryPath(String)
    /// `core.hooksPath` is set to the empty string, which git reads as the file-system root.
    case emptyHooksPath
    /// Something that must be a directory (the hooks directory or one of its parents) is not.
    case notADirectory(path: String)
    /// The hooks directory cannot be written to.
    case directoryNotWritable(path: String)
    /// The hook's path is taken by a directory or another non-file.
    case hookNotAFile(path: String)
    /// A foreign hook should be chained, but the place it would be moved to is taken.
    case chainedHookInTheWay(hook: String, chained: String)
    /// A file operation failed.
    case fileOperationFailed(operation: String, path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .templateMissing(let path):
            return "hook script not found: \(path)"
        case .templateInvalid(let path, let reason):
            return "hook script \(path) cannot be installed: \(reason)"
        case .invalidBinaryPath(let path):
            return "the commitbridge binary path must be absolute and on one line: \(path.debugDescription)"
        case .emptyHooksPath:
            return "core.hooksPath is set but empty (git would look for hooks in '/'); set it to a directory or unset it"
        case .notADirectory(let path):
            return "not a directory: \(path)"
        case .directoryNotWritable(let path):
            return "hooks directory not writable: \(path)"
        case .hookNotAFile(let path):
            return "hook path is not a file: \(path)"
        case .chainedHookInTheWay(let hook, let chained):
            return "cannot keep the existing hook \(hook): \(chained) already exists; move one of them away"
        case .fileOperationFailed(let operation, let path, let reason):
            let flat = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
            return "cannot \(operation) \(path): \(flat)"
        }
    }
}
