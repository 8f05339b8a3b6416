import ArgumentParser
import Foundation
import GitKit

/// Process entry: runs the chosen subcommand and maps every failure to a documented exit code.
@main
enum Entry {
    static func main() async {
        AllocatorTuning.apply()
        // Every subcommand but `parse` reads git: libgit2's start-up then overlaps argument parsing.
        if let subcommand = CommandLine.arguments.dropFirst().first, !subcommand.hasPrefix("-"),
           !["parse", "help"].contains(subcommand) {
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
        exit(status)
    }
}
