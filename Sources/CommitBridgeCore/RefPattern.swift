/// A ref glob as git matches one (its `wildmatch`): `?` one character, `*` any run of characters,
/// `[...]` a character class (`[!...]` or `[^...]` negated, ranges `a-z`, `[:alpha:]` and the other
/// POSIX classes), `\` makes the next character literal. Matched component-wise (`pathname`, as git
/// does for `git for-each-ref` patterns and as fnmatch's FNM_PATHNAME), `*`, `?` and a class stop at
/// `/`, and only a `**` standing between slashes (or at either end) crosses them: `release/*`
/// matches `release/1` but not `release/1/hotfix`, `release/**` and `**/hotfix` match both.
/// Matched whole-name (as git matches `--branches=<glob>`), `*` crosses `/` as well.
public struct RefPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    /// Its bytes, ending in a 0 that stands for the end, as in the C original.
    private let bytes: [UInt8]

    /// Checks `text`: refused when empty, when a `[` is never closed, when a `[:class:]` is not one
    /// git knows, or when it ends in a lone `\` (git would match nothing with any of them).
    public init(validating text: String) throws(RefPatternError) {
        guard !text.isEmpty else { throw RefPatternError(pattern: text, reason: "an empty pattern matches no branch") }
        let bytes = Array(text.utf8) + [0]
        var p = 0
        while bytes[p] != 0 {
            switch bytes[p] {
            case UInt8(ascii: "\\"):
                if bytes[p + 1] == 0 { throw RefPatternError(pattern: text, reason: "it ends in a lone backslash") }
                p += 2
            case UInt8(ascii: "["):
                switch Self.matchClass(bytes, at: p, character: 0, pathname: false) {
                case .invalid(let reason): throw RefPatternError(pattern: text, reason: reason)
                case .matched(_, let end): p = end + 1
                }
            default:
                p += 1
            }
        }
        self.text = text
        self.bytes = bytes
    }

    /// Whether the whole of `name` matches; `pathname` keeps `*`, `?` and classes within one
    /// `/`-separated component.
    public func matches(_ name: String, pathname: Bool = true) -> Bool {
        let subject = Array(name.utf8)
        if subject.contains(0) { return false }
        return Self.match(bytes, 0, subject + [0], 0, pathname: pathname) == .match
    }

    /// Whether `text` holds any of the characters git treats as a glob (`*`, `?`, `[`, `\`).
    public static func hasGlobCharacters(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "\\") }
    }

    public var description: String { text }

    private enum Outcome { case match, noMatch, abortAll, abortToStarStar }

    /// git's `dowild`, over 0-terminated byte arrays.
    private static func match(_ pattern: [UInt8], _ start: Int, _ text: [UInt8], _ textStart: Int, pathname: Bool) -> Outcome {
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
        var p = start, t = textStart
        while pattern[p] != 0 {
            var pc = pattern[p]
            var tc = text[t]
            if tc == 0 && pc != star { return .abortAll }
            switch pc {
            case UInt8(ascii: "?"):
                if pathname && tc == slash { return .noMatch }
            case star:
                let matchSlash: Bool
                p += 1
                if pattern[p] == star {
                    let before = p - 2
                    while pattern[p] == star { p += 1 }
                    let next = pattern[p]
                    if (before < start || pattern[before] == slash)
                        && (next == 0 || next == slash || (next == UInt8(ascii: "\\") && pattern[p + 1] == slash)) {
                        if next == slash && match(pattern, p + 1, text, t, pathname: pathname) == .match { return .match }
                        matchSlash = true
                    } else {
                        matchSlash = !pathname
                    }
                } else {
                    matchSlash = !pathname
                }
                if pattern[p] == 0 {
                    if !matchSlash && text[t...].contains(slash) { return .noMatch }
                    return .match
                } else if !matchSlash && pattern[p] == slash {
                    // One `*` and a slash: the rest of this component, then the slash.
                    guard let next = text[t...].firstIndex(of: slash) else { return .noMatch }
                    t = next
                    break
                }
                while true {
                    if tc == 0 { break }
                    if !isGlobSpecial(pattern[p]) {
                        let literal = pattern[p]
                        while text[t] != 0 && (matchSlash || text[t] != slash) {
                            if text[t] == literal { break }
                            t += 1
                        }
                        tc = text[t]
                        if tc != literal { return .noMatch }
                    }
                    let outcome = match(pattern, p, text, t, pathname: pathname)
                    if outcome != .noMatch {
                        if !matchSlash || outcome != .abortToStarStar { return outcome }
                    } else if !matchSlash && tc == slash {
                        return .abortToStarStar
                    }
                    t += 1
                    tc = text[t]
                }
                return .abortAll
            case UInt8(ascii: "["):
                switch matchClass(pattern, at: p, character: tc, pathname: pathname) {
                case .invalid: return .abortAll
                case .matched(let matched, let end):
                    if !matched { return .noMatch }
                    p = end
                }
            case UInt8(ascii: "\\"):
                p += 1
                pc = pattern[p]
                if tc != pc { return .noMatch }
            default:
                if tc != pc { return .noMatch }
            }
            p += 1
            t += 1
        }
        return text[t] == 0 ? .match : .noMatch
    }

    private enum ClassOutcome { case matched(Bool, end: Int), invalid(String) }

    /// The class starting with the `[` at `open`: whether `character` is in it (never a `/` when
    /// `pathname`), and where its `]` is.
    private static func matchClass(_ pattern: [UInt8], at open: Int, character tc: UInt8, pathname: Bool) -> ClassOutcome {
        let unclosed = ClassOutcome.invalid("its '[' is never closed by a ']'")
        var p = open + 1
        var pc = pattern[p]
        let negated = pc == UInt8(ascii: "!") || pc == UInt8(ascii: "^")
        if negated {
            p += 1
            pc = pattern[p]
        }
        var previous: UInt8 = 0
        var matched = false
        repeat {
            if pc == 0 { return unclosed }
            if pc == UInt8(ascii: "\\") {
                p += 1
                pc = pattern[p]
                if pc == 0 { return unclosed }
                if tc == pc { matched = true }
            } else if pc == UInt8(ascii: "-") && previous != 0 && pattern[p + 1] != 0 && pattern[p + 1] != UInt8(ascii: "]") {
                p += 1
                pc = pattern[p]
                if pc == UInt8(ascii: "\\") {
                    p += 1
                    pc = pattern[p]
                    if pc == 0 { return unclosed }
                }
                if tc <= pc && tc >= previous { matched = true }
                pc = 0
            } else if pc == UInt8(ascii: "[") && pattern[p + 1] == UInt8(ascii: ":") {
                p += 2
                let nameStart = p
                while pattern[p] != 0 && pattern[p] != UInt8(ascii: "]") { p += 1 }
                if pattern[p] == 0 { return unclosed }
                if p - nameStart - 1 < 0 || pattern[p - 1] != UInt8(ascii: ":") {
                    // No `:]`: an ordinary `[` in the class.
                    p = nameStart - 2
                    pc = UInt8(ascii: "[")
                    if tc == pc { matched = true }
                } else {
                    let name = String(decoding: pattern[nameStart..<(p - 1)], as: UTF8.self)
                    guard let inClass = isInClass(name, tc) else {
                        return .invalid("'[:\(TerminalSafeText.cut(name, limit: 20)):]' is not a character class")
                    }
                    if inClass { matched = true }
                    pc = 0
                }
            } else if tc == pc {
                matched = true
            }
            previous = pc
            p += 1
            pc = pattern[p]
        } while pc != UInt8(ascii: "]")
        if matched == negated || (pathname && tc == UInt8(ascii: "/")) { return .matched(false, end: p) }
        return .matched(true, end: p)
    }

    private static func isGlobSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
    }

    /// Whether `c` is in the POSIX class `name` (over ASCII, as git's own tests are); nil for a name
    /// that is no class.
    private static func isInClass(_ name: String, _ c: UInt8) -> Bool? {
        let upper = c >= 65 && c <= 90, lower = c >= 97 && c <= 122, digit = c >= 48 && c <= 57
        let alpha = upper || lower, graph = c > 32 && c < 127
        switch name {
        case "alnum": return alpha || digit
        case "alpha": return alpha
        case "blank": return c == 32 || c == 9
        case "cntrl": return c < 32 || c == 127
        case "digit": return digit
        case "graph": return graph
        case "lower": return lower
        case "print": return c >= 32 && c < 127
        case "punct": return graph && !alpha && !digit
        case "space": return c == 32 || (c >= 9 && c <= 13)
        case "upper": return upper
        case "xdigit": return digit || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
        default: return nil
        }
    }
}

/// A ref pattern git would match nothing with.
public struct RefPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    /// Why, e.g. `its '[' is never closed by a ']'`.
    public let reason: String

    public init(pattern: String, reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    /// e.g. `invalid branch pattern 'release/[': its '[' is never closed by a ']'`.
    public var description: String {
        "invalid branch pattern '\(TerminalSafeText.cut(pattern, limit: 100))': \(reason)"
    }
}
