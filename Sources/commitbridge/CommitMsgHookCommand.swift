import ArgumentParser
import CommitBridgeCore
import Foundation

/// `commitbridge hook commit-msg <file>`: warns about near-miss tags before the commit exists.
/// The installed hook prefers the small `commitbridge-commit-msg` binary, which runs the same check.
struct CommitMsgHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "commit-msg", abstract: "Warn about near-miss story tags in a message being committed.")

    @Argument(help: "The file holding the message (git passes it).")
    var file: String

    @Flag(name: .long, help: "Refuse the commit when there are warnings.")
    var strict = false

    func run() throws {
        let bytes = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
        let check = CommitMessageCheck(fileBytes: bytes, path: file, strict: strict)
        check.lines.forEach { StandardStreams.err($0) }
        if check.refuses { throw ExitCode(1) }
    }
}
