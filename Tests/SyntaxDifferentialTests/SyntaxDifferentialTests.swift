import CommitBridgeCore
import Foundation
import TrackerSimKit
import XCTest

/// The client's reading of commit messages (its tag parser and state table) against the
/// simulator's own reading of Tracker's rules, over generated messages, the project's test tables,
/// the README's and docs' examples and every commit message of this repository.
///
/// Each message is read by both; they must name the same stories, in the same order, with the same
/// action, and move a story of each type the same way. A difference is allowed only when one of
/// ``knownDifferences`` explains it; anything else fails the test and is listed in full.
final class SyntaxDifferentialTests: XCTestCase {
    // MARK: Corpora

    /// Messages made by a seeded generator from the pieces of the tag syntax and its near misses:
    /// free fragments, well-formed groups among decoys, and random bytes.
    func testGeneratedMessages() {
        var generator = MessageGenerator(seed: 0xD1FF_0001)
        var messages: [String] = []
        for round in 0..<6_000 {
            switch round % 3 {
            case 0: messages.append(generator.fragmentMessage())
            case 1: messages.append(generator.plantedMessage())
            default: messages.append(String(decoding: generator.bytes(count: generator.below(300)), as: UTF8.self))
            }
        }
        let report = compare(messages, corpus: "generated")
        XCTAssertGreaterThan(report.referencesCompared, 5_000, "the generator should produce references")
        // Glued verbs are read alike by both sides now; the generator must still plant them.
        let glued = messages.filter { Self.unglue($0) != $0 && !Self.clientReading($0).stories.isEmpty }
        XCTAssertGreaterThan(glued.count, 300, "the generator should plant verbs glued to '#'")
    }

    /// The forms of a verb glued to `#` that the client once read as mentions, read alike by both.
    func testGluedVerbs() {
        let messages = ["[Fixes#9]", "[Delivers:#4]", "[#finishes #9]", "[fixed.#3, #4]", "[#5 ##Delivered]",
                        "[Finishes#104037838](https://www.pivotaltracker.com/story/show/104037838)",
                        "[a#fixes#9]", "[#1 fixes#]", "[#1 Fixes#9.]", "[Fixs#9]"]
        let report = compare(messages, corpus: "glued verbs")
        XCTAssertEqual(report.differences, 0)
        XCTAssertEqual(Self.clientReading("[Fixes#9]"), Self.clientReading("[Fixes #9]"))
    }

    /// The messages of the client's parser table tests and prefilter samples.
    func testTableMessages() {
        let report = compare(TableMessages.all, corpus: "tables")
        XCTAssertGreaterThan(report.referencesCompared, 100)
    }

    /// Every message example in the README and in docs/ (inline code and `echo '…'` lines).
    func testDocumentedExamples() throws {
        var messages: [String] = []
        for file in try documentationFiles() {
            messages += Self.examples(in: try String(contentsOf: file, encoding: .utf8))
        }
        XCTAssertTrue(messages.contains("[Fixes #123] crash on start"), "the README's examples should be read")
        let report = compare(messages, corpus: "documentation")
        XCTAssertGreaterThan(report.referencesCompared, 20)
    }

    /// Every commit message of this repository, all branches, read with `git log`.
    func testRepositoryHistory() throws {
        let root = Self.packageRoot
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path) else {
            throw XCTSkip("not a git checkout: \(root.path)")
        }
        let output = try Self.run(["git", "-C", root.path, "log", "--all", "--format=%B%x00"])
        let messages = output.split(separator: "\0").map { String($0.drop { $0 == "\n" }) }
        XCTAssertGreaterThan(messages.count, 50, "the history should hold many commits")
        let report = compare(messages, corpus: "history")
        XCTAssertGreaterThan(report.referencesCompared, 10, "the history names stories")
    }

    // MARK: The state table

    /// Every request on every type in every state.
    func testStateTable() {
        var unexplained: [String] = []
        var explained = Set<String>()
        for request in TrackerCommitRules.Request.allCases {
            for type in TrackerStoryType.allCases {
                for state in TrackerStoryState.allCases {
                    let client = Self.clientState(after: request, type: type, from: state)
                    let simulator = TrackerCommitRules.stateAfter(request, type: type, from: state)
                    guard client != simulator else { continue }
                    let line = "\(request) on a \(type.rawValue) in \(state.rawValue): client \(client?.rawValue ?? "stays"), simulator \(simulator?.rawValue ?? "stays")"
                    if let known = Self.knownStateDifferences.first(where: { $0.covers(request, type, state) }) {
                        explained.insert(known.name)
                    } else {
                        unexplained.append(line)
                    }
                }
            }
        }
        XCTAssertEqual(unexplained, [], "new differences in the state table:\n" + unexplained.joined(separator: "\n"))
        XCTAssertEqual(explained, Set(Self.knownStateDifferences.map(\.name)),
                       "a known difference that no longer occurs should leave the list")
    }

    func testTheSimulatorReportsTheProjectVersion() {
        XCTAssertEqual(TrackerSimVersion.current, CommitBridgeVersion.current)
    }

    // MARK: Known differences

    /// A difference in how one message is read, and why it is accepted.
    struct KnownMessageDifference: Sendable {
        let name: String
        let reason: String
        /// True when this entry accounts for the whole difference on `message`.
        let covers: @Sendable (_ message: String) -> Bool
    }

    /// A difference in the state table, and why it is accepted.
    struct KnownStateDifference: Sendable {
        let name: String
        let reason: String
        let covers: @Sendable (TrackerCommitRules.Request, TrackerStoryType, TrackerStoryState) -> Bool
    }

    /// None today: a state word touching a `#` (`[Fixes#9]`, `[#finishes #9]`), the last one
    /// listed, counts as that word for the client as it does for the simulator.
    static let knownMessageDifferences: [KnownMessageDifference] = []

    static let knownStateDifferences: [KnownStateDifference] = [
        KnownStateDifference(
            name: "rejected chore",
            reason: """
                Tracker never rejects a chore (chores are only unstarted, started or accepted), so \
                the case cannot arise there. Read literally, the contract's table accepts a chore \
                from any state before accepted, and the simulator does so; the client leaves a \
                rejected chore as it is.
                """,
            covers: { request, type, state in type == .chore && state == .rejected && request != .mention }),
    ]

    // MARK: Comparing

    struct Report {
        var referencesCompared = 0
        var explainedBy = Set<String>()
        var differences = 0
    }

    /// One message as read by one side: each story with its action, and what that action does to
    /// an unstarted story of each type.
    struct Reading: Equatable, CustomStringConvertible {
        var stories: [String] = []
        var description: String { stories.isEmpty ? "(nothing)" : stories.joined(separator: " ") }
    }

    private static let parser = TagParser()

    static func clientReading(_ message: String) -> Reading {
        Reading(stories: parser.parse(message).references.map { reference in
            let effects = StoryType.allCases.map { type in
                EffectPredictor.newState(for: reference.action, type: type, current: .unstarted)?.rawValue ?? "-"
            }
            return "\(reference.story):\(reference.action.rawValue)(\(effects.joined(separator: ",")))"
        })
    }

    static func simulatorReading(_ message: String) -> Reading {
        Reading(stories: TrackerCommitRules.storyRequests(in: message).map { asked in
            let effects = TrackerStoryType.allCases.map { type in
                TrackerCommitRules.stateAfter(asked.request, type: type, from: .unstarted)?.rawValue ?? "-"
            }
            return "\(asked.storyID):\(asked.request)(\(effects.joined(separator: ",")))"
        })
    }

    /// Reads every message both ways and fails, listing them, on differences no known entry explains.
    private func compare(_ messages: [String], corpus: String, file: StaticString = #filePath, line: UInt = #line) -> Report {
        var report = Report()
        var unexplained: [String] = []
        for message in messages {
            let client = Self.clientReading(message)
            let simulator = Self.simulatorReading(message)
            report.referencesCompared += client.stories.count
            guard client != simulator else { continue }
            report.differences += 1
            if let known = Self.knownMessageDifferences.first(where: { $0.covers(message) }) {
                report.explainedBy.insert(known.name)
            } else {
                unexplained.append("\(message.debugDescription)\n    client:    \(client)\n    simulator: \(simulator)")
            }
        }
        XCTAssertEqual(unexplained.count, 0, """
            \(unexplained.count) new differences in the \(corpus) messages (fix the simulator if it \
            misreads Tracker's rules, or add a known difference with its reason):
            \(unexplained.prefix(40).joined(separator: "\n"))
            """, file: file, line: line)
        print("\(corpus): \(messages.count) messages, \(report.referencesCompared) references, \(report.differences) differences, explained by \(report.explainedBy.sorted())")
        return report
    }

    // MARK: Helpers

    /// The client's state table, through its own types.
    static func clientState(after request: TrackerCommitRules.Request, type: TrackerStoryType,
                            from state: TrackerStoryState) -> TrackerStoryState? {
        let action: StoryAction = switch request {
        case .mention: .mention
        case .finish: .finish
        case .deliver: .deliver
        }
        let next = EffectPredictor.newState(for: action, type: StoryType(rawValue: type.rawValue)!,
                                            current: StoryState(rawValue: state.rawValue)!)
        return next.map { TrackerStoryState(rawValue: $0.rawValue)! }
    }

    /// The message with a space put between every state word and a `#` it touches (how the generated
    /// messages with glued verbs are counted).
    static func unglue(_ message: String) -> String {
        let separators = Set(" \t\r\n\u{0B}\u{0C},[]".utf8)
        var result: [UInt8] = []
        var word: [UInt8] = []
        func flush() {
            let pieces = word.split(separator: UInt8(ascii: "#"), omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index > 0 {
                    let touching = isStateWord(pieces[index - 1]) || isStateWord(piece)
                    result += touching ? [UInt8(ascii: " "), UInt8(ascii: "#")] : [UInt8(ascii: "#")]
                    // A state word after the `#` is moved away from it as well.
                    if isStateWord(piece) { result.append(UInt8(ascii: " ")) }
                }
                result += piece
            }
            word = []
        }
        for byte in message.utf8 {
            if separators.contains(byte) {
                flush()
                result.append(byte)
            } else {
                word.append(byte)
            }
        }
        flush()
        return String(decoding: result, as: UTF8.self)
    }

    private static func isStateWord(_ piece: ArraySlice<UInt8>) -> Bool {
        var text = piece
        while let last = text.last, last == UInt8(ascii: ":") || last == UInt8(ascii: ".") { text = text.dropLast() }
        return stateWords.contains(String(decoding: text, as: UTF8.self).lowercased())
    }

    private static let stateWords: Set<String> = [
        "fix", "fixes", "fixed", "fixing", "finish", "finishes", "finished", "finishing",
        "complete", "completes", "completed", "completing", "deliver", "delivers", "delivered", "delivering",
    ]

    /// The package's root folder (this file is Tests/SyntaxDifferentialTests/…).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private func documentationFiles() throws -> [URL] {
        let root = Self.packageRoot
        let docs = root.appendingPathComponent("docs")
        let inDocs = (try? FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil)) ?? []
        return [root.appendingPathComponent("README.md")] + inDocs.filter { $0.pathExtension == "md" }.sorted { $0.path < $1.path }
    }

    /// The inline code spans holding a `[` or a `#`, and the text of `echo '…'` lines.
    static func examples(in markdown: String) -> [String] {
        var found: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if let echo = line.firstMatch(of: /echo '([^']*)'/) { found.append(String(echo.1)) }
            for span in line.matches(of: /`([^`]+)`/) where span.1.contains("[") || span.1.contains("#") {
                found.append(String(span.1))
            }
        }
        return found
    }

    private static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "git", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(arguments.joined(separator: " ")) failed"])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
