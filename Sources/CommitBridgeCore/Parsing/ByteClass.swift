/// ASCII byte constants and character classes used by the tag parser.
///
/// Every test here works on a single UTF-8 byte. Bytes of multi-byte sequences are all
/// >= 0x80, so none of them is ever mistaken for one of these ASCII classes.
enum ByteClass {
    static let newline: UInt8 = 0x0A
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let hash: UInt8 = 0x23
    static let comma: UInt8 = 0x2C
    static let colon: UInt8 = 0x3A
    static let period: UInt8 = 0x2E
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let space: UInt8 = 0x20

    /// Space, tab, LF, VT, FF and CR.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || (byte >= 0x09 && byte <= 0x0D)
    }

    /// A byte that ends a token inside a tag group: ASCII whitespace or a comma.
    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool {
        byte == comma || isWhitespace(byte)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    /// An ASCII letter, either case.
    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte)
    }

    /// A trailing byte that is ignored on a word token (`:` or `.`).
    @inline(__always)
    static func isWordTail(_ byte: UInt8) -> Bool {
        byte == colon || byte == period
    }

    /// The lowercase form of an ASCII letter; any other byte unchanged.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}
