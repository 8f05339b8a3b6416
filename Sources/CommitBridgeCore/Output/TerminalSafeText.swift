/// Text from a commit made safe to print on one terminal line: control characters (C0, DEL and
/// the C1 range, where escape sequences start) become spaces, so a message cannot move the
/// cursor, change colours or set the window title of whoever reads commitbridge's output.
/// The same goes for anything else from outside (Tracker's answers, names, library messages):
/// `line(_:limit:)` also cuts it to a length that fits a line.
public enum TerminalSafeText {
    /// The longest line commitbridge prints, in characters; every stdout and stderr line is cut to it.
    public static let lineLimit = 1000

    /// The marker a cut line ends with.
    public static let cutMarker: Character = "…"

    /// Whether a scalar is a control character a terminal may act on.
    @inline(__always)
    static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || (0x7F...0x9F).contains(value)
    }

    /// `text` with every control character replaced by a space (the same text when it has none).
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0.value) }) else { return text }
        var flattened = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            flattened.append(isControl(scalar.value) ? " " : scalar)
        }
        return String(flattened)
    }

    /// `text` with every control character replaced by a space and, when it is longer than `limit`
    /// characters, cut to `limit` characters of which the last is `…`.
    public static func line(_ text: String, limit: Int) -> String {
        cut(line(text), limit: limit)
    }

    /// `text` cut to at most `limit` characters, the last being `…` when anything was left out.
    public static func cut(_ text: String, limit: Int) -> String {
        // A string has at least as many UTF-8 bytes as characters: short ones need no counting.
        guard text.utf8.count > limit, limit > 0 else { return limit > 0 ? text : "" }
        guard let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex),
              end != text.endIndex else { return text }
        return String(text[..<text.index(before: end)]) + String(cutMarker)
    }
}
