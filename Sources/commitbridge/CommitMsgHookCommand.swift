import ArgumentParser
import CommitBridgeCore
import CommitBridgeKit
import Foundation

/// `commitbridge hook commit-msg <file>`: warns about near-miss tags before the commit exists.
struct CommitMsgHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "commit-msg", abstract: "Warn about near-miss story tags in a message being committed.")

    @Argument(help: "The file holding the message (git passes it).")
    var file: String

    @Flag(name: .long, help: "Refuse the commit when there are warnings.")
    var strict = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            StandardStreams.err("commitbridge: cannot read the commit message file '\(file)'")
            if strict { throw ExitCode(1) }
            return
        }
        let message = CommitMessageCleanup.strip(String(decoding: data, as: UTF8.self))
        let warnings = TagParser().parse(message).warnings
        for warning in warnings {
            StandardStreams.err("commitbridge: warning: \(warning)")
        }
        if strict && !warnings.isEmpty {
            StandardStreams.err("commitbridge: commit refused (--strict); fix the tags or commit with --no-verify")
            throw ExitCode(1)
        }
    }
}
