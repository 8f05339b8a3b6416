/// Fits a commit message into Tracker's comment limit without losing a tag group.
///
/// Length is counted in Unicode scalars (code points), as Tracker counts characters.
/// A message over the limit keeps its beginning, then a visible note saying it was shortened,
/// then every tag group that stood in the part that was cut, each on its own line.
public struct MessageShortener: Sendable {
    /// Tracker's limit for one comment.
    public static let trackerCommentLimit = 20_000

    public let limit: Int

    public init(limit: Int = MessageShortener.trackerCommentLimit) {
        self.limit = limit
    }

    /// The message itself when it fits, else its shortened form.
    /// - Parameter groups: the message's tag groups, as `TagParser` found them.
    public func shorten(_ message: String, groups: [TagGroup]) -> (text: String, wasShortened: Bool) {
        let bytes = Array(message.utf8)
        let total = MessageShortener.scalarCount(bytes[...])
        guard total > limit else { return (message, false) }

        let note = "\n\n(commitbridge: message shortened from \(total) characters to stay within Tracker's comment limit; the tags of the cut part follow)\n"
        let noteLength = note.unicodeScalars.count

        // Start from the longest prefix the note leaves room for, then give back room for the tags it cuts off.
        var cut = MessageShortener.byteOffset(in: bytes, afterScalars: max(0, limit - noteLength))
        while true {
            if let splitGroup = groups.first(where: { $0.utf8Range.lowerBound < cut && cut < $0.utf8Range.upperBound }) {
                cut = splitGroup.utf8Range.lowerBound
            }
            let cutGroups = groups.filter { $0.utf8Range.lowerBound >= cut }
            let tagsLength = cutGroups.reduce(0) { $0 + MessageShortener.scalarCount(bytes[$1.utf8Range]) + 1 }
            let prefixLength = MessageShortener.scalarCount(bytes[0..<cut])
            let excess = prefixLength + noteLength + tagsLength - limit
            if excess <= 0 || cut == 0 {
                var out = String(decoding: bytes[0..<cut], as: UTF8.self)
                out += note
                out += cutGroups.map { String(decoding: bytes[$0.utf8Range], as: UTF8.self) }.joined(separator: "\n")
                return (out, true)
            }
            cut = MessageShortener.byteOffset(in: bytes, afterScalars: max(0, prefixLength - excess))
        }
    }

    /// Scalars in a run of well-formed UTF-8: every byte that is not a continuation byte starts one.
    static func scalarCount(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The byte offset just after the first `scalars` scalars (or the end).
    static func byteOffset(in bytes: [UInt8], afterScalars scalars: Int) -> Int {
        var seen = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] & 0xC0 != 0x80 {
                if seen == scalars { return index }
                seen += 1
            }
            index += 1
        }
        return bytes.count
    }
}
