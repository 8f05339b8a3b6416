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
        var arguments = ["flush"]
        if let path = config.repositoryPath { arguments += ["-C", path] }
        if let url = config.trackerUrl { arguments += ["--tracker-url", url] }
        if let file = config.tokenFile { arguments += ["--token-file", file] }
        if let template = config.commitUrl { arguments += ["--commit-url", template] }
        arguments += ["--state-dir", configuration.stateDirectory.value]
        if config.allowInsecureHttp { arguments.append("--allow-insecure-http") }
        try BackgroundDelivery.start(executable: executablePath, arguments: arguments,
                                     logFile: configuration.stateDirectory.value + "/delivery.log")
    }

    /// The running binary's absolute path.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
