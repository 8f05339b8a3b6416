// The tag grammar's tokens: the ASCII byte classes it reads, what one token inside a `[` … `]`
// span can be, and the classifier that tells which (including why a `#digits` is no story id).

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

/// What one token inside a `[` … `]` span is.
enum TokenKind {
    /// A story reference; `hash` is the byte offset of the `#` that starts it.
    case reference(story: Int64, hash: Int)
    /// A `#` and digits that fail to be a reference; `digits` are the digits after that `#`.
    case brokenReference(digits: Range<Int>, flaw: ReferenceFlaw)
    /// A whole-token verb (trailing `:`/`.` ignored).
    case verb(VerbFamily)
    /// An alphabetic word close to a verb; `word` has trailing `:`/`.` removed.
    case nearVerb(word: Range<Int>, suggestion: String)
    /// Digits alone, with no `#`.
    case number(Range<Int>)
    /// Only `#` characters.
    case hashes
    /// Any other token holding a letter, a digit or a non-ASCII character.
    case word(Range<Int>)
    /// ASCII punctuation only (`-`, `&`, `:`): ignored without a warning.
    case filler
}

/// Why a `#` followed by digits is not a story reference.
enum ReferenceFlaw: Error {
    /// The digits are followed by something other than a separator, `]` or the group's end (`#9a`, `#9.`).
    case trailingText
    /// The number is zero (`#0`, `#000`).
    case zero
    /// More than 19 digits, or a value beyond the largest signed 64-bit integer.
    case tooLarge
}

/// Classifies one token of a `[` … `]` span.
enum TokenClassifier {
    /// The most digits a story id may have.
    static let maximumDigits = 19

    /// What `bytes[token]` is. `token` is non-empty and holds no separator.
    static func classify(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Range<Int>) -> TokenKind {
        if let kind = referenceKind(bytes, token) { return kind }
        return wordKind(bytes, token)
    }

    /// The value of `bytes[digits]` as a story id, or why it is not one.
    static func storyID(_ bytes: UnsafeBufferPointer<UInt8>, _ digits: Range<Int>) -> Result<Int64, ReferenceFlaw> {
        guard digits.count <= maximumDigits else { return .failure(.tooLarge) }
        // 19 decimal digits always fit an unsigned 64-bit integer.
        var value: UInt64 = 0
        for index in digits { value = value * 10 + UInt64(bytes[index] &- 0x30) }
        if value == 0 { return .failure(.zero) }
        if value > UInt64(Int64.max) { return .failure(.tooLarge) }
        return .success(Int64(value))
    }

    /// A reference, a broken reference, or nil when no `#` in the token is followed by a digit.
    private static func referenceKind(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Range<Int>) -> TokenKind? {
        // Only the last '#' can start a reference whose digits reach the end of the token.
        var hash = token.upperBound - 1
        while hash >= token.lowerBound, bytes[hash] != ByteClass.hash { hash -= 1 }
        guard hash >= token.lowerBound else { return nil }
        let start = hash + 1
        if start < token.upperBound, ByteClass.isDigit(bytes[start]) {
            let end = digitRunEnd(bytes, from: start, limit: token.upperBound)
            if end < token.upperBound { return .brokenReference(digits: start..<end, flaw: .trailingText) }
            switch storyID(bytes, start..<end) {
            case .success(let story): return .reference(story: story, hash: hash)
            case .failure(let flaw): return .brokenReference(digits: start..<end, flaw: flaw)
            }
        }
        // An earlier '#' with digits: those digits stop before the token ends (`#9#`, `#9a#x`).
        var earlier = hash - 1
        while earlier >= token.lowerBound {
            if bytes[earlier] == ByteClass.hash, ByteClass.isDigit(bytes[earlier + 1]) {
                let end = digitRunEnd(bytes, from: earlier + 1, limit: token.upperBound)
                return .brokenReference(digits: (earlier + 1)..<end, flaw: .trailingText)
            }
            earlier -= 1
        }
        return nil
    }

    private static func wordKind(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Range<Int>) -> TokenKind {
        var end = token.upperBound
        while end > token.lowerBound, ByteClass.isWordTail(bytes[end - 1]) { end -= 1 }
        let word = token.lowerBound..<end
        if word.isEmpty { return .filler }
        var allHashes = true
        var allDigits = true
        var meaningful = false
        for index in word {
            let byte = bytes[index]
            let digit = ByteClass.isDigit(byte)
            allHashes = allHashes && byte == ByteClass.hash
            allDigits = allDigits && digit
            meaningful = meaningful || digit || ByteClass.isLetter(byte) || byte >= 0x80
        }
        if allHashes { return .hashes }
        if allDigits { return .number(word) }
        switch VerbTable.match(bytes, in: word) {
        case .exact(let family): return .verb(family)
        case .near(let suggestion): return .nearVerb(word: word, suggestion: suggestion)
        case nil: return meaningful ? .word(word) : .filler
        }
    }

    /// The end of the run of ASCII digits starting at `start`, stopping at `limit`.
    static func digitRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int {
        var end = start
        while end < limit, ByteClass.isDigit(bytes[end]) { end += 1 }
        return end
    }
}
