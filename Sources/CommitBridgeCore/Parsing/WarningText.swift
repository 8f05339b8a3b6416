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

    static func gluedVerb(_ token: String, group: String, rewritten: String) -> String {
        "'\(token)' in \(group) glues the verb to the story, so Tracker sees only a mention (write \(rewritten))"
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
