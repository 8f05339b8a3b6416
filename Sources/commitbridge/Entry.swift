import ArgumentParser
import CommitBridgeServices
import Foundation

/// Process entry: runs the chosen subcommand and maps every failure to a documented exit code.
@main
enum Entry {
    static func main() async {
        // Every subcommand but `parse` and the commit-msg hook reads git: libgit2's start-up then
        // overlaps argument parsing.
        let arguments = Array(CommandLine.arguments.dropFirst())
        let readsGit = arguments.first.map { subcommand in
            !subcommand.hasPrefix("-") && !["parse", "help"].contains(subcommand)
                && !(subcommand == "hook" && arguments.dropFirst().first == "commit-msg")
        } ?? false
        Runtime.start(readsGit: readsGit)
        let status: Int32
        do {
            var command = try CommitBridgeCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            status = 0
        } catch {
            status = exitCode(for: error)
        }
        StandardStreams.flushOut()
        Runtime.finish()
        exit(status)
    }

    /// The one place where a failure becomes an exit code (and its one line on stderr):
    /// 0 done, 1 commits stay queued (or a refused commit message), 2 usage or configuration,
    /// 3 not a repository or a bad revision.
    static func exitCode(for error: Error) -> Int32 {
        if let failure = error as? CommitBridgeError ?? serviceError(error) {
            failure.errorDescription.map { StandardStreams.err("commitbridge: \($0)") }
            switch failure {
            case .undelivered, .stateDatabase, .reported(refusal: true): return 1
            case .usage, .configuration, .reported(refusal: false): return 2
            case .notARepository, .badRevision: return 3
            }
        }
        // ArgumentParser's own errors: --help and --version (exit 0, text on stdout), or a usage error.
        if CommitBridgeCommand.exitCode(for: error) == .success {
            StandardStreams.out(lines: CommitBridgeCommand.fullMessage(for: error))
            return 0
        }
        if let code = error as? ExitCode { return code.rawValue }
        let message = CommitBridgeCommand.message(for: error)
        StandardStreams.err("commitbridge: \(message.split(separator: "\n").first.map(String.init) ?? message)")
        StandardStreams.err("run 'commitbridge help' for usage")
        return 2
    }

    /// An error that is not ArgumentParser's, as the services see it.
    private static func serviceError(_ error: Error) -> CommitBridgeError? {
        let type = String(reflecting: Swift.type(of: error))
        return type.hasPrefix("ArgumentParser.") ? nil : CommitBridgeError(error)
    }
}
