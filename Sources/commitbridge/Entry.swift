import ArgumentParser
import CommitBridgeServices
import Foundation

/// Process entry: runs the chosen subcommand and maps every failure to a documented exit code.
@main
enum Entry {
    static func main() async {
        // Every subcommand but `parse` and the commit-msg hook reads git: libgit2's start-up then
        // overlaps argument parsing.
        let status: Int32
        let arguments: [String]
        do {
            arguments = try takeLeadingDirectories(Array(CommandLine.arguments.dropFirst()))
        } catch {
            exit(exitCode(for: error))
        }
        let readsGit = arguments.first.map { subcommand in
            !subcommand.hasPrefix("-") && !["parse", "help"].contains(subcommand)
                && !(subcommand == "hook" && arguments.dropFirst().first == "commit-msg")
        } ?? false
        Runtime.start(readsGit: readsGit)
        do {
            var command = try CommitBridgeCommand.parseAsRoot(arguments)
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

    /// `-C <path>` before the subcommand, as git takes it: each one changes the working directory
    /// (a relative path from the previous one), and the rest of the command line is returned.
    /// `-C` after the subcommand is the subcommand's own option, resolved from the directory these
    /// lead to. An empty path changes nothing, as with git.
    static func takeLeadingDirectories(_ arguments: [String]) throws -> [String] {
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("-C") {
            let path: String
            if first == "-C" {
                guard let next = rest.dropFirst().first else {
                    throw CommitBridgeError.usage("-C needs a path, e.g. 'commitbridge -C ~/src/app status' (see 'commitbridge help')")
                }
                path = next
                rest = rest.dropFirst(2)
            } else {
                path = String(first.dropFirst(2).drop { $0 == "=" })
                rest = rest.dropFirst()
            }
            guard !path.isEmpty else { continue }
            guard FileManager.default.changeCurrentDirectoryPath(path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "not a directory, or not readable" : "no such directory"
                throw CommitBridgeError.notARepository("cannot change to '\(TerminalSafeText.cut(path, limit: 200))': \(reason)")
            }
        }
        return Array(rest)
    }

    /// The subcommand a command line names (`replay`, `hook post-commit`), for the usage hint.
    private static func subcommandPath(_ commandLine: [String]) -> String? {
        var arguments = commandLine[...]
        while let option = arguments.first, option.hasPrefix("-C") {
            arguments = arguments.dropFirst(option == "-C" ? 2 : 1)
        }
        guard let first = arguments.first(where: { !$0.hasPrefix("-") }),
              CommitBridgeCommand.configuration.subcommands.contains(where: { $0._commandName == first }) else { return nil }
        if first == "hook", let index = arguments.firstIndex(of: first), let next = arguments[(index + 1)...].first,
           HookCommand.configuration.subcommands.contains(where: { $0._commandName == next }) {
            return "hook \(next)"
        }
        return first
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
        let first = message.split(separator: "\n").first.map(String.init) ?? message
        let help = subcommandPath(Array(CommandLine.arguments.dropFirst())).map { "commitbridge help \($0)" } ?? "commitbridge help"
        StandardStreams.err("commitbridge: \(first.trimmingCharacters(in: .whitespaces)) (see '\(help)')")
        return 2
    }

    /// An error that is not ArgumentParser's, as the services see it.
    private static func serviceError(_ error: Error) -> CommitBridgeError? {
        let type = String(reflecting: Swift.type(of: error))
        return type.hasPrefix("ArgumentParser.") ? nil : CommitBridgeError(error)
    }
}
