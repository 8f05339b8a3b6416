/// Text from a commit made safe to print on one terminal line: control characters (C0, DEL and
/// the C1 range, where escape sequences start) become spaces, so a message cannot move the
/// cursor, change colours or set the window title of whoever reads commitbridge's output.
public enum TerminalSafeText {
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
}
