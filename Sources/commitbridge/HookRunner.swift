import CommitBridgeCore
import CommitBridgeKit
import Foundation

/// Shared steps of the post-commit and post-receive hooks: never block git unless --strict.
enum HookRunner {
    /// Runs `work`; a failure is one line on stderr and, unless `strict`, exit 0.
    static func guarded(strict: Bool, _ work: () async throws -> Void) async throws {
        do {
            try await work()
        } catch let error as CommitBridgeError {
            guard strict else {
                StandardStreams.err("commitbridge: \(error.localizedDescription) (the hook goes on; run 'commitbridge doctor')")
                return
            }
            throw error
        } catch {
            guard strict else {
                let line = ErrorReporter.stateDatabaseFailure(error) ?? "\(error)"
                StandardStreams.err("commitbridge: \(line) (the hook goes on)")
                return
            }
            throw error
        }
    }

    /// Delivers what is queued: here and now with `foreground`, else in a detached `flush`.
    static func deliver(_ configuration: Configuration, config: ConfigurationOptions, foreground: Bool) async throws {
        guard configuration.token != nil else {
            StandardStreams.err("commitbridge: commit queued; no Tracker token is configured, so nothing is sent (see 'commitbridge doctor')")
            return
        }
        if foreground {
            try await FlushCommand.deliver(configuration, options: DeliveryOptions())
            return
        }
        // One background delivery per state directory: when one is running, it takes these commits
        // too (it looks at the queue again after each pass), so this hook is done.
        try StateDirectory.prepare(configuration)
        guard let lock = try FlusherLock.take(stateDirectory: configuration.stateDirectory.value) else { return }
        var arguments = ["flush", "--background", "--held-lock", String(FlusherLock.inheritedDescriptor)]
        if let path = config.repositoryPath { arguments += ["-C", path] }
        if let url = config.trackerUrl { arguments += ["--tracker-url", url] }
        if let file = config.tokenFile { arguments += ["--token-file", file] }
        if let template = config.commitUrl { arguments += ["--commit-url", template] }
        arguments += ["--state-dir", configuration.stateDirectory.value]
        if config.allowInsecureHttp { arguments.append("--allow-insecure-http") }
        try BackgroundDelivery.start(executable: executablePath, arguments: arguments,
                                     logFile: configuration.stateDirectory.value + "/delivery.log", handing: lock)
    }

    /// Commits that were neither queued nor kept in the spill file: one line saying what went wrong
    /// and which replay posts them; with `strict` it is thrown (exit 2) instead of printed.
    static func reportLost(_ failure: HookQueueFailure, replay ranges: [String], strict: Bool) throws {
        let commits = failure.shas.count == 1 ? "commit \(failure.shas[0].prefix(7))" : "\(failure.shas.count) commits"
        let commands = ranges.map { "'commitbridge replay \($0)'" }.joined(separator: " and ")
        let line = "\(commits) could not be queued: \(failure.problem); run \(commands) to post \(failure.shas.count == 1 ? "it" : "them")"
        guard !strict else { throw CommitBridgeError.configuration(line) }
        StandardStreams.err("commitbridge: \(line)")
    }

    /// The running binary's absolute path.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
