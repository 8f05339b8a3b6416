import Foundation
import TestSupport

/// Runs the real `commitbridge` executable that `swift test` built.
enum CommitBridgeBinary {
    static var path: String { BuiltProducts.executable("commitbridge") }

    /// Runs `commitbridge` with `arguments` in `directory`, with a clean environment
    /// (no TRACKER_* or COMMITBRIDGE_* from the developer's shell, no user git config, and none of
    /// the variables a CI service sets, which `ci` and `doctor` read; a test passes its own).
    static func run(_ arguments: [String], in directory: String? = nil, stdin: String? = nil,
                    sandbox: GitSandbox? = nil, environment extra: [String: String] = [:]) throws -> ProcessResult {
        var env = sandbox?.environment ?? ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("TRACKER_") || key.hasPrefix("COMMITBRIDGE_") || key == "CI"
            || key.hasPrefix("CI_") || key.hasPrefix("GITHUB_") || key.hasPrefix("GITLAB_") { env[key] = nil }
        if sandbox == nil {
            for key in env.keys where key.hasPrefix("GIT_") { env[key] = nil }
        }
        for (key, value) in extra { env[key] = value }
        return try ProcessRunner.run(path, arguments, directory: directory ?? sandbox?.path, environment: env,
                                     stdin: stdin.map { Data($0.utf8) })
    }
}
