import ArgumentParser
import CommitBridgeKit
import CommitBridgeStore
import Foundation

/// Turns any error into one line on stderr and an exit code.
enum ErrorReporter {
    static func report(_ error: Error) -> Int32 {
        if let failure = error as? CommitBridgeError {
            StandardStreams.err("commitbridge: \(failure.localizedDescription)")
            return failure.exitCode
        }
        if let line = stateDatabaseFailure(error) {
            // Every write is one transaction: what was queued before the failure is still queued.
            StandardStreams.err("commitbridge: \(line); "
                + "commits queued earlier stay queued: fix it (disk space, permissions) and run 'commitbridge flush'")
            return ExitStatus.undelivered.rawValue
        }
        if let code = error as? ExitCode {
            return code.rawValue
        }
        let code = CommitBridgeCommand.exitCode(for: error)
        if code == .success {
            // --help, --version: ArgumentParser's text goes to stdout.
            StandardStreams.out(lines: CommitBridgeCommand.fullMessage(for: error))
            return 0
        }
        if error is DecodingError || error is CocoaError {
            StandardStreams.err("commitbridge: \(error.localizedDescription)")
            return ExitStatus.usage.rawValue
        }
        let message = CommitBridgeCommand.message(for: error)
        if message.isEmpty {
            StandardStreams.err("commitbridge: \(error.localizedDescription)")
        } else {
            StandardStreams.err("commitbridge: \(message.split(separator: "\n").first.map(String.init) ?? message)")
            StandardStreams.err("run 'commitbridge help' for usage")
        }
        return ExitStatus.usage.rawValue
    }

    /// `the state database could not be written: …` for a failure of the state database, else nil.
    static func stateDatabaseFailure(_ error: Error) -> String? {
        StoreError.line(for: error).map { "the state database could not be written: \($0)" }
    }
}
