import ArgumentParser
import Foundation

/// Process entry: runs the chosen subcommand and maps every failure to a documented exit code.
@main
enum Entry {
    static func main() async {
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
