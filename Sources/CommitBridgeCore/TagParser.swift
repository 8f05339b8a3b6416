/// Finds Pivotal Tracker story tags in commit messages (SPEC §1).
public struct TagParser: Sendable {
    public init() {}

    /// Parses one commit message.
    public func parse(_ message: String) -> ParseResult {
        // Placeholder until the parser lands: see ParserTests.
        ParseResult(references: [], warnings: [], groups: [])
    }
}
