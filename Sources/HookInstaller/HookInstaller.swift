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

    /// Default kinds: post-commit and commit-msg in a work tree, post-receive in a bare repository.
    public var defaultKinds: [HookKind] {
        repository.isBare ? [.postReceive] : [.postCommit, .commitMsg]
    }

    /// Installs or updates our scripts for `kinds`, chaining any foreign hook found in their place.
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
        case .file, .brokenLink, .notAFile:
            return .foreign
        }
    }

    private func installPlan(for kind: HookKind) throws -> HookPlan {
        let place = try HookPlace(kind: kind, directory: hooksDirectory(for: kind))
        let template = try HookTemplate(kind: kind, scriptsDirectory: scriptsDirectory)
        let keepsChained = HookFileSystem.exists(place.chainedPath)
        let script = { (chained: Bool) in template.render(binaryPath: binaryPath, chained: chained) }
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
