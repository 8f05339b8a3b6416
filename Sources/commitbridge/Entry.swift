import ArgumentParser
import Foundation
import GitKit

/// Process entry: runs the chosen subcommand and maps every failure to a documented exit code.
@main
enum Entry {
    static func main() async {
        AllocatorTuning.apply()
        // Every subcommand but `parse` and the commit-msg hook reads git: libgit2's start-up then
        // overlaps argument parsing.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let subcommand = arguments.first, !subcommand.hasPrefix("-"),
           !["parse", "help"].contains(subcommand), !(subcommand == "hook" && arguments.dropFirst().first == "commit-msg") {
            Libgit2Library.initialiseInBackground()
        }
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
            status = ErrorReporter.report(error)
        }
        StandardStreams.flushOut()
        // Never exit while libgit2 (and the TLS library under it) is still starting on its thread.
        Libgit2Library.waitForBackgroundInitialisation()
        exit(status)
    }
}
