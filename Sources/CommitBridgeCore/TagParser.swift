/// Finds Pivotal Tracker story tags in commit messages.
///
/// The parser is pure and stateless: it reads the message's UTF-8 bytes once, never prints,
/// and its warnings never change which references it returns.
public struct TagParser: Sendable {
    /// False when `bytes` (a message in UTF-8 or any ASCII-compatible encoding) hold neither `#` nor
    /// `[`: every reference and every warning of the parser needs one of the two, so such a message
    /// parses to nothing. A fast pre-check for scans of long histories.
    public static func mayFindTags<Bytes: Sequence>(in bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        bytes.contains { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "[") }
    }

    public init() {}

    /// Parses one commit message: its story references (each story once, in order of first
    /// appearance, with its strongest action), its warnings in message order, and its tag groups.
    public func parse(_ message: String) -> ParseResult {
        var message = message
        return message.withUTF8 { MessageScanner.scan($0) }
    }
}
