/// Turns a piece of the message into the short, single-line text quoted inside a warning.
enum Quote {
    /// The most characters a quoted piece keeps; a longer one is cut and ends in `…`.
    static let limit = 60

    /// `bytes[range]` as text: control characters (tab, CR, LF, ESC, C1…) become spaces, and
    /// anything past `limit` characters is cut off.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        // Decode only a bounded prefix, so quoting a 50 KB span costs as little as a short one.
        let budget = limit * 8
        var end = range.upperBound
        var shortened = false
        if range.count > budget {
            end = range.lowerBound + budget
            // Never split a multi-byte character: back up to the first byte of a scalar.
            while end > range.lowerBound, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            shortened = true
        }
        var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<end]), as: UTF8.self)
        text = TerminalSafeText.line(text)
        if shortened || text.count > limit {
            return String(text.prefix(limit - 1)) + "…"
        }
        return text
    }

    /// The same, for bytes that are not part of the message (a rewritten tag group).
    static func text(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { text($0, 0..<$0.count) }
    }
}
