/// Tells whether bytes are one JSON value (RFC 8259) and nothing else but white space, without
/// building the value. A POST answer is only checked for being JSON at all; Foundation's
/// `JSONSerialization` built every object of it to say so, a visible share of a fast delivery.
enum JSONSyntax {
    /// Nesting deeper than this is refused rather than followed (each level is a call).
    static let maximumDepth = 512

    /// Whether `bytes` hold exactly one JSON value, with white space around it allowed.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var reader = Reader(bytes: bytes)
        reader.skipWhiteSpace()
        guard reader.value(depth: 0) else { return false }
        reader.skipWhiteSpace()
        return reader.position == bytes.count
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhiteSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
        }

        mutating func value(depth: Int) -> Bool {
            guard depth < JSONSyntax.maximumDepth, let byte = current else { return false }
            switch byte {
            case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), keyed: true, depth: depth)
            case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), keyed: false, depth: depth)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        /// An object (`keyed`: each member is a string, `:` and a value) or an array.
        mutating func container(close: UInt8, keyed: Bool, depth: Int) -> Bool {
            position += 1
            skipWhiteSpace()
            if current == close {
                position += 1
                return true
            }
            while true {
                if keyed {
                    guard current == UInt8(ascii: "\""), string() else { return false }
                    skipWhiteSpace()
                    guard current == UInt8(ascii: ":") else { return false }
                    position += 1
                    skipWhiteSpace()
                }
                guard value(depth: depth + 1) else { return false }
                skipWhiteSpace()
                guard let byte = current else { return false }
                position += 1
                if byte == close { return true }
                guard byte == UInt8(ascii: ",") else { return false }
                skipWhiteSpace()
            }
        }

        mutating func string() -> Bool {
            position += 1
            while let byte = current {
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return true
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { return false }
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                         UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        continue
                    case UInt8(ascii: "u"):
                        for _ in 0..<4 {
                            guard let digit = current, digit.isHexDigit else { return false }
                            position += 1
                        }
                    default:
                        return false
                    }
                case 0..<0x20:
                    return false  // control characters must be escaped
                default:
                    continue
                }
            }
            return false
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
            position += count
            return true
        }

        /// `-`? (`0` | a digit 1-9 and digits) (`.` digits)? ((`e` | `E`) (`+` | `-`)? digits)?
        mutating func number() -> Bool {
            if current == UInt8(ascii: "-") { position += 1 }
            guard let first = current, first.isDigit else { return false }
            position += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            if current == UInt8(ascii: ".") {
                position += 1
                guard current?.isDigit == true else { return false }
                skipDigits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard current?.isDigit == true else { return false }
                skipDigits()
            }
            return true
        }

        mutating func skipDigits() {
            while current?.isDigit == true { position += 1 }
        }
    }
}

private extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
