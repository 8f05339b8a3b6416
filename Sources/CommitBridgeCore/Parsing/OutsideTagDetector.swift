/// Finds tag-like text outside every `[` … `]` span: a verb or near-verb
/// followed by whitespace and `#digits` (`Fixes #123`), and `(#123)`.
struct OutsideTagDetector {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Every closed `[` … `]` span of the message, in order; their text is not looked at.
    let spans: [Range<Int>]

    func scan(log: inout WarningLog) {
        let count = bytes.count
        var index = 0
        var nextSpan = 0
        while index < count {
            if nextSpan < spans.count, index >= spans[nextSpan].lowerBound {
                index = spans[nextSpan].upperBound
                nextSpan += 1
                continue
            }
            guard bytes[index] == ByteClass.hash, index + 1 < count, ByteClass.isDigit(bytes[index + 1]) else {
                index += 1
                continue
            }
            let hash = index
            let digits = (hash + 1)..<TokenClassifier.digitRunEnd(bytes, from: hash + 1, limit: count)
            index = digits.upperBound
            // `#12abc` is not a story tag, nor is a number that could never be a story id.
            if digits.upperBound < count, ByteClass.isLetter(bytes[digits.upperBound]) { continue }
            guard case .success = TokenClassifier.storyID(bytes, digits) else { continue }
            if hash > 0, bytes[hash - 1] == ByteClass.openParen,
               digits.upperBound < count, bytes[digits.upperBound] == ByteClass.closeParen {
                log.add(
                    WarningText.parenthesized(
                        Quote.text(bytes, (hash - 1)..<(digits.upperBound + 1)),
                        reference: Quote.text(bytes, hash..<digits.upperBound)),
                    at: hash - 1)
                continue
            }
            reportVerb(before: hash, digits: digits, log: &log)
        }
    }

    /// Warns when whitespace and then a verb or near-verb word stand right before `#digits`.
    private func reportVerb(before hash: Int, digits: Range<Int>, log: inout WarningLog) {
        var cursor = hash
        while cursor > 0, ByteClass.isWhitespace(bytes[cursor - 1]) { cursor -= 1 }
        guard cursor < hash else { return }
        var wordEnd = cursor
        while wordEnd > 0, ByteClass.isWordTail(bytes[wordEnd - 1]) { wordEnd -= 1 }
        var wordStart = wordEnd
        while wordStart > 0, ByteClass.isLetter(bytes[wordStart - 1]) { wordStart -= 1 }
        guard wordStart < wordEnd else { return }
        if wordStart > 0 {
            // The letters must be a whole word, not the tail of `x2fix` or of a non-ASCII word.
            let before = bytes[wordStart - 1]
            guard !ByteClass.isDigit(before), before < 0x80, before != 0x5F else { return }
        }
        guard let verb = VerbTable.match(bytes, in: wordStart..<wordEnd) else { return }
        let text = Quote.text(bytes, wordStart..<digits.upperBound)
        let written: String
        switch verb {
        case .exact: written = text
        case .near(let suggestion): written = suggestion + " " + Quote.text(bytes, hash..<digits.upperBound)
        }
        log.add(WarningText.outsideBrackets(text, written: written), at: wordStart)
    }
}
