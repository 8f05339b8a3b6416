import CommitBridgeCore
import Foundation
import GitKit

// What doctor reads besides the configuration: where each git config value was set, and which hook
// manager (husky, lefthook, pre-commit) runs the repository's hooks.

/// Where a setting came from, in words a person can act on: the flag, the variable, or the config
/// file and line (as `git config --show-origin` finds it).
struct SettingOrigins {
    let repository: Repository

    func describe(_ source: SettingSource, flag: String, variable: String?, key: String?) -> String {
        switch source {
        case .flag: return "the \(flag) flag"
        case .environment: return variable.map { "the \($0) variable" } ?? "the environment"
        case .gitConfig:
            guard let key else { return "git config" }
            return "git config \(key)" + (file(of: key).map { ", \($0)" } ?? "")
        case .defaultValue: return "the default"
        }
    }

    /// `<config file>:<line>` of the value of `key` git uses (the last one set), or nil when unset.
    func file(of key: String) -> String? {
        guard let output = run(["config", "--show-origin", "--get-all", key]),
              let last = output.split(separator: "\n").last else { return nil }
        let origin = last.split(separator: "\t", maxSplits: 1).first.map(String.init) ?? ""
        guard origin.hasPrefix("file:") else { return origin.isEmpty ? nil : origin }
        var path = String(origin.dropFirst("file:".count))
        if !path.hasPrefix("/") {
            path = ((repository.workingDirectory ?? repository.gitDirectory) as NSString).appendingPathComponent(path)
        }
        return line(of: key, in: path).map { "\(path):\($0)" } ?? path
    }

    /// The last line of `path` that sets `key` (section and name compared as git does: case aside).
    private func line(of key: String, in path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let dot = key.firstIndex(of: "."), let lastDot = key.lastIndex(of: ".") else { return nil }
        let section = key[..<dot].lowercased()
        let subsection = dot == lastDot ? nil : String(key[key.index(after: dot)..<lastDot])
        let name = key[key.index(after: lastDot)...].lowercased()
        var inSection = false
        var found: Int?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let header = line.dropFirst().prefix { $0 != "]" }
                let parts = header.split(separator: " ", maxSplits: 1)
                let headerSection = parts.first.map { $0.lowercased() } ?? ""
                let headerSubsection = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : nil
                inSection = headerSection == section && headerSubsection == subsection
                continue
            }
            guard inSection else { continue }
            let variable = line.prefix { $0 != "=" && $0 != " " && $0 != "\t" }.lowercased()
            if variable == name { found = index + 1 }
        }
        return found
    }

    private func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repository.workingDirectory ?? repository.gitDirectory)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}

/// The hook managers a work tree uses, and which of git's hooks run commitbridge through them.
struct HookManagers {
    /// Each manager found, named with its file (`husky (.husky/)`).
    private(set) var present: [String] = []
    /// For each hook (by git's name) that a manager's configuration runs commitbridge from: how.
    private var runners: [String: String] = [:]

    init(repository: Repository) {
        guard let root = repository.workingDirectory.map({ $0.hasSuffix("/") ? String($0.dropLast()) : $0 }) else { return }
        let hooks = ["post-commit", "pre-push", "commit-msg"]
        func read(_ name: String) -> String? { try? String(contentsOfFile: root + "/" + name, encoding: .utf8) }
        if let hooksPath = try? repository.configString("core.hooksPath"), hooksPath.contains(".husky") {
            present.append("husky (.husky/)")
            for hook in hooks where read(".husky/" + hook)?.contains("commitbridge") == true {
                runners[hook] = "husky (.husky/\(hook))"
            }
        }
        for name in ["lefthook.yml", ".lefthook.yml", "lefthook.yaml", ".lefthook.yaml"] {
            guard let text = read(name) else { continue }
            present.append("lefthook (\(name))")
            for hook in hooks where Self.yamlSection(hook, of: text).contains("commitbridge") {
                runners[hook] = runners[hook] ?? "lefthook (\(name))"
            }
        }
        if let text = read(".pre-commit-config.yaml") {
            present.append("pre-commit (.pre-commit-config.yaml)")
            for block in text.components(separatedBy: "- id:").dropFirst() where block.contains("commitbridge") {
                for hook in hooks where block.contains(hook) { runners[hook] = runners[hook] ?? "pre-commit (.pre-commit-config.yaml)" }
            }
        }
    }

    /// How `hook` runs commitbridge through a manager, or nil.
    func runner(of hook: String) -> String? { runners[hook] }

    /// Whether this runs on a CI service (which sets `CI`), where no git hook is expected.
    static func runsInCI(_ environment: [String: String]) -> Bool {
        ["CI", "GITHUB_ACTIONS", "GITLAB_CI"].contains { (environment[$0] ?? "").lowercased() == "true" }
    }

    /// The lines of a top-level YAML key `key:` (up to the next top-level key).
    private static func yamlSection(_ key: String, of text: String) -> String {
        var inside = false
        var lines: [Substring] = []
        for line in text.split(separator: "\n") {
            if let first = line.first, first != " ", first != "\t", first != "#" {
                inside = line.hasPrefix(key + ":")
                continue
            }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// How to put `manager`'s hooks in place in git, one line.
    static func installCommand(for hook: String, manager: String) -> String {
        if manager.hasPrefix("husky") { return "run 'npx husky' (or 'git config core.hooksPath .husky/_')" }
        if manager.hasPrefix("lefthook") { return "run 'lefthook install'" }
        return "run 'pre-commit install --hook-type \(hook)'"
    }

    /// How to make `manager` run commitbridge for `hook`, one line.
    static func snippet(for hook: String, manager: String) -> String {
        let command = hook == "commit-msg" ? "commitbridge hook commit-msg \"$1\"" : hook == "pre-push" ? "commitbridge hook pre-push \"$@\"" : "commitbridge hook \(hook)"
        if manager.hasPrefix("husky") { return "add the line '\(command)' to .husky/\(hook) (see docs/hooks.md)" }
        if manager.hasPrefix("lefthook") {
            let run = hook == "commit-msg" ? "commitbridge hook commit-msg {1}" : "commitbridge hook \(hook)"
            return "add '\(hook): commands: commitbridge: run: \(run)' to the lefthook file, then run 'lefthook install'"
        }
        if hook == "pre-push" {
            return "pre-commit does not pass git's lines to a pre-push hook: set 'git config commitbridge.postOn commit', or run 'commitbridge install --pre-push' to chain pre-commit's hook"
        }
        return "add a hook with entry 'commitbridge hook \(hook)' and stages [\(hook)] to .pre-commit-config.yaml, then run 'pre-commit install --hook-type \(hook)'"
    }
}
