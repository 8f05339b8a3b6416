// Rewriting the posted message around its tag groups: shortening a long message to Tracker's
// comment limit without losing a distinct group, and stripping a revert's verbs.

/// Fits a commit message into Tracker's comment limit without losing a distinct tag group.
///
/// Length is counted in Unicode scalars (code points), as Tracker counts characters.
/// A message over the limit keeps its beginning, then a visible note saying it was shortened,
/// then the tag groups of the part that was cut, each on its own line and each distinct group once:
/// a group whose text came before is not written again (repeating it tells Tracker nothing more),
/// and the kept beginning ends before the first group that repeats an earlier one. The result never exceeds the limit (unless the limit is shorter than the
/// note itself): when the distinct groups alone do not fit, the last ones are left out and the
/// note says how many.
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

        // The groups in order (overlaps left out), which of them repeat an earlier group's text, and,
        // from each group on, how long the distinct groups are, each with its newline.
        var ordered: [Range<Int>] = []
        for group in groups.map(\.utf8Range).sorted(by: { $0.lowerBound < $1.lowerBound })
        where group.upperBound <= bytes.count && group.lowerBound >= (ordered.last?.upperBound ?? 0) {
            ordered.append(group)
        }
        var seen = Set<ArraySlice<UInt8>>()
        let isFirst = ordered.map { seen.insert(bytes[$0]).inserted }
        let lengths = ordered.map { MessageShortener.scalarCount(bytes[$0]) }
        var distinctFrom = [Int](repeating: 0, count: ordered.count + 1)
        for index in ordered.indices.reversed() {
            distinctFrom[index] = distinctFrom[index + 1] + (isFirst[index] ? lengths[index] + 1 : 0)
        }

        let note = MessageShortener.note(total: total, leftOut: 0)
        let noteLength = note.unicodeScalars.count
        // The longest beginning (never cutting a group, never reaching a repeated one) that leaves room
        // for the note and the distinct groups after it. The beginning only grows and the groups after
        // it only shrink, so the scan stops once the beginning and the note alone are too long.
        var best: (cut: Int, group: Int)?
        var position = 0, group = 0, keptLength = 0
        while true {
            if keptLength + noteLength + distinctFrom[group] <= limit { best = (position, group) }
            if keptLength + noteLength > limit || position >= bytes.count { break }
            if group < ordered.count && position == ordered[group].lowerBound {
                guard isFirst[group] else { break }
                keptLength += lengths[group]
                position = ordered[group].upperBound
                group += 1
            } else {
                position += 1
                while position < bytes.count && bytes[position] & 0xC0 == 0x80 { position += 1 }
                keptLength += 1
            }
        }

        if let best {
            var out = String(decoding: bytes[0..<best.cut], as: UTF8.self)
            out += note
            out += (best.group..<ordered.count).filter { isFirst[$0] }
                .map { String(decoding: bytes[ordered[$0]], as: UTF8.self) }.joined(separator: "\n")
            return (out, true)
        }

        // Even the distinct groups alone are too long: keep as many as fit, in order, after the note.
        let distinct = ordered.indices.filter { isFirst[$0] }
        let reserved = MessageShortener.note(total: total, leftOut: distinct.count).unicodeScalars.count
        var used = reserved
        var kept: [Int] = []
        for index in distinct {
            guard used + lengths[index] + 1 <= limit else { break }
            used += lengths[index] + 1
            kept.append(index)
        }
        var out = MessageShortener.note(total: total, leftOut: distinct.count - kept.count)
        out += kept.map { String(decoding: bytes[ordered[$0]], as: UTF8.self) }.joined(separator: "\n")
        return (out, true)
    }

    /// The visible note; it must hold nothing a tag parser would read as a tag.
    static func note(total: Int, leftOut: Int) -> String {
        let tail = leftOut == 0 ? "" : "; \(leftOut) more that did not fit were left out"
        return "\n\n(commitbridge: message shortened from \(total) characters to stay within Tracker's comment limit; "
            + "the tags of the cut part follow, each once\(tail))\n"
    }

    /// Scalars in a run of well-formed UTF-8: every byte that is not a continuation byte starts one.
    static func scalarCount(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }
}

/// Keeps a revert from moving stories forward: every tag group is rewritten to its bare
/// references (`[Finishes #1]` → `[#1]`, `[delivers #1, #2]` → `[#1, #2]`).
public struct RevertRewriter: Sendable {
    public init() {}

    /// The message with each tag group reduced to its references, in order, each story once.
    public func rewrite(_ message: String, groups: [TagGroup]) -> String {
        guard !groups.isEmpty else { return message }
        let bytes = Array(message.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        for group in groups.sorted(by: { $0.utf8Range.lowerBound < $1.utf8Range.lowerBound }) {
            guard group.utf8Range.lowerBound >= position else { continue }
            out.append(contentsOf: bytes[position..<group.utf8Range.lowerBound])
            var seen = Set<Int64>()
            let stories = group.stories.filter { seen.insert($0).inserted }
            out.append(contentsOf: Array(("[" + stories.map { "#\($0)" }.joined(separator: ", ") + "]").utf8))
            position = group.utf8Range.upperBound
        }
        out.append(contentsOf: bytes[position...])
        return String(decoding: out, as: UTF8.self)
    }
}
