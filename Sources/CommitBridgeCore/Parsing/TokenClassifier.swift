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
