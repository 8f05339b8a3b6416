// The parser's warnings: how a piece of the message is quoted, the wording of every warning,
// and the log that hands them back in message order.

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

/// The wording of every parser warning. Arguments are already-quoted, already-shortened texts.
enum WarningText {
    static func unknownWord(_ word: String, group: String) -> String {
        "unknown word '\(word)' in \(group) is ignored"
    }

    static func misspelledVerb(_ word: String, group: String, suggestion: String) -> String {
        "'\(word)' in \(group) is not a Tracker verb; did you mean '\(suggestion)'?"
    }

    static func bareNumber(_ number: String, group: String) -> String {
        "'\(number)' in \(group) has no '#': Tracker will not see story \(number) (write #\(number))"
    }

    static func detachedHash(group: String, number: String) -> String {
        "\(group): '#' must touch the number (write #\(number))"
    }

    static func brokenReference(_ token: String, group: String, flaw: ReferenceFlaw, fix: String?) -> String {
        let reason: String
        switch flaw {
        case .trailingText: reason = "the digits must end at a space, a comma or ']'"
        case .zero: reason = "story ids start at 1"
        case .tooLarge: reason = "a story id has at most 19 digits and must fit a signed 64-bit integer"
        }
        let advice = fix.map { " (write \($0))" } ?? ""
        return "'\(token)' in \(group) is not a story reference: \(reason)\(advice)"
    }

    static func gluedVerb(_ token: String, group: String, toStory: Bool, readAs: String) -> String {
        "'\(token)' in \(group) has its verb glued to \(toStory ? "the story id" : "'#'"); read as '\(readAs)'"
    }

    static func gluedNearVerb(_ token: String, group: String, word: String, suggestion: String, reference: String) -> String {
        "'\(token)' in \(group): '\(word)' is glued to the story and is not a Tracker verb; did you mean '\(suggestion) \(reference)'?"
    }

    static func gluedWord(_ word: String, group: String, reference: String) -> String {
        "'\(word)' glued to '\(reference)' in \(group) is ignored"
    }

    static func mixedVerbs(group: String) -> String {
        "\(group) has both a finish and a deliver verb: deliver wins"
    }

    static func outsideBrackets(_ text: String, written: String) -> String {
        "'\(text)' is outside square brackets: Tracker will ignore it (write [\(written)])"
    }

    static func parenthesized(_ text: String, reference: String) -> String {
        "'\(text)' looks like a story tag but is not in square brackets (write [\(reference)])"
    }
}

/// Collects warnings with the message offset they are about, and hands them back in message
/// order without exact duplicates.
struct WarningLog {
    private var entries: [(position: Int, text: String)] = []

    /// Records `text` as a warning about the message text starting at byte `position`.
    mutating func add(_ text: String, at position: Int) {
        entries.append((position, text))
    }

    /// The warnings in message order (ties keep the order they were added), each text once.
    func lines() -> [String] {
        if entries.isEmpty { return [] }
        var ordered = entries
        if !zip(entries, entries.dropFirst()).allSatisfy({ $0.position <= $1.position }) {
            ordered = entries.enumerated()
                .sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
                .map(\.element)
        }
        var seen = Set<String>()
        var lines: [String] = []
        for entry in ordered where seen.insert(entry.text).inserted {
            lines.append(entry.text)
        }
        return lines
    }
}
