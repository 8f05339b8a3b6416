// Safe output: every line leaving commitbridge is cleaned of secrets (the Tracker token, URL
// passwords) and of control characters a terminal would act on.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place secrets are taken out of text bound for a terminal, the background log or the
/// state database: the Tracker token and any password of a URL are registered when the
/// configuration is read, and every outgoing line passes through `redact(_:)`. Whatever a library
/// quotes in its error text, the secret itself does not get out.
///
/// Two rules apply to every line:
/// - each registered secret (at least `minimumLength` characters) becomes `<redacted>`;
/// - the user information of any URL in the text (`scheme://user:secret@host` → `scheme://host`)
///   is dropped, registered or not.
public enum SecretRedactor {
    /// What a registered secret is replaced with.
    public static let placeholder = "<redacted>"
    /// Shorter secrets are not looked for: every short word of the output would match them (no
    /// real Tracker token is this short).
    public static let minimumLength = 4

    private static let registered = Registry()

    /// Adds `secret` (and its escaped spelling, as Swift's descriptions quote strings) to the set
    /// every line is cleaned of. Secrets shorter than `minimumLength` are ignored.
    public static func register(_ secret: String) {
        registered.update { $0.insert(secret) }
    }

    /// `text` without any registered secret or URL password.
    public static func redact(_ text: String) -> String {
        registered.current.redact(text)
    }

    /// UTF-8 `line` without any registered secret or URL password (the same bytes when it holds none).
    public static func redact(utf8 line: [UInt8]) -> [UInt8] {
        registered.current.redact(utf8: line) ?? line
    }

    /// The process-wide set, behind a lock (registered once at start-up, read from any thread).
    private final class Registry: @unchecked Sendable {
        private var secrets = SecretSet()
        private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
            let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
            return mutex
        }()

        var current: SecretSet {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return secrets
        }

        func update(_ change: (inout SecretSet) -> Void) {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            change(&secrets)
        }
    }
}

/// A set of secrets and the redaction rules of `SecretRedactor`, as a value (so that it can be
/// tested without the process-wide registry).
public struct SecretSet: Sendable {
    private var secrets: [[UInt8]] = []

    public init(_ secrets: [String] = []) {
        for secret in secrets { insert(secret) }
    }

    /// Adds `secret` and, when Swift's `debugDescription` would spell it differently (a quote, a
    /// backslash, a control character), that spelling too.
    public mutating func insert(_ secret: String) {
        var spellings = [secret]
        let quoted = String(reflecting: secret)
        if quoted.count >= 2 {
            let escaped = String(quoted.dropFirst().dropLast())
            if escaped != secret { spellings.append(escaped) }
        }
        for spelling in spellings {
            let bytes = Array(spelling.utf8)
            guard spelling.count >= SecretRedactor.minimumLength, !secrets.contains(bytes) else { continue }
            secrets.append(bytes)
        }
        // Longest first, so that a secret holding another is replaced whole.
        secrets.sort { $0.count > $1.count }
    }

    /// `text` with every secret replaced and every URL's user information dropped.
    public func redact(_ text: String) -> String {
        var text = text
        let changed = text.withUTF8 { redact(bytes: $0) }
        return changed.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// The redacted bytes, or nil when `line` needs no change.
    public func redact(utf8 line: [UInt8]) -> [UInt8]? {
        line.withUnsafeBufferPointer { redact(bytes: $0) }
    }

    private static let colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/"), at = UInt8(ascii: "@")

    private func redact(bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8]?
        var copied = 0
        var index = 0
        func take(upTo end: Int) {
            if output == nil { output = []; output!.reserveCapacity(bytes.count) }
            output!.append(contentsOf: bytes[copied..<end])
        }
        while index < bytes.count {
            if let secret = secretLength(at: index, in: bytes) {
                take(upTo: index)
                output!.append(contentsOf: SecretRedactor.placeholder.utf8)
                index += secret
                copied = index
                continue
            }
            if bytes[index] == Self.colon, index + 2 < bytes.count,
               bytes[index + 1] == Self.slash, bytes[index + 2] == Self.slash {
                let start = index + 3
                var end = start
                var lastAt: Int?
                while end < bytes.count, !Self.endsAuthority(bytes[end]) {
                    if bytes[end] == Self.at { lastAt = end }
                    end += 1
                }
                if let lastAt {
                    take(upTo: start)
                    copied = lastAt + 1
                }
                index = lastAt.map { $0 + 1 } ?? start
                continue
            }
            index += 1
        }
        guard output != nil else { return nil }
        take(upTo: bytes.count)
        return output
    }

    /// The length of the secret that starts at `index`, if one does.
    private func secretLength(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let first = bytes[index]
        for secret in secrets where secret[0] == first && secret.count <= bytes.count - index {
            var matched = true
            for offset in 1..<secret.count where bytes[index + offset] != secret[offset] {
                matched = false
                break
            }
            if matched { return secret.count }
        }
        return nil
    }

    /// Whether `byte` ends a URL's authority (`user:secret@host:port`) in running text.
    private static func endsAuthority(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: " "),
             UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"),
             UInt8(ascii: "`"), UInt8(ascii: "\\"):
            return true
        default:
            return byte < 0x20 || byte == 0x7F
        }
    }
}

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
