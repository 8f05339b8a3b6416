import ArgumentParser
import CommitBridgeCore
import Foundation

/// `commitbridge parse [--json]`: shows what Tracker will see in one message read from stdin.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read one commit message on stdin and show its story references and warnings."
    )

    @Flag(name: .long, help: "Print one JSON object: {\"references\":[{\"story\":N,\"action\":\"…\"}],\"warnings\":[…]}.")
    var json = false

    func run() throws {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let message = String(decoding: data, as: UTF8.self)
        let result = TagParser().parse(message)
        if json {
            StandardStreams.out(json: ReferenceJSON.parseOutput(result).serialized())
            return
        }
        if result.references.isEmpty {
            StandardStreams.out("no story references: this message would not be posted")
        }
        for reference in result.references {
            StandardStreams.out("#\(reference.story) \(reference.action.rawValue)")
        }
        for warning in result.warnings {
            StandardStreams.err("warning: \(warning)")
        }
    }
}
