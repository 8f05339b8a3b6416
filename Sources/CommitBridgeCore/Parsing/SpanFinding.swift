/// Something inside a `[` … `]` span that may deserve a warning. Ranges are byte offsets.
enum SpanFinding {
    case unknownWord(Range<Int>)
    case misspelledVerb(Range<Int>, suggestion: String)
    case bareNumber(Range<Int>)
    /// A `#` token followed by a number token (`[# 123]`).
    case detachedHash(hash: Int, number: Range<Int>)
    case brokenReference(token: Range<Int>, digits: Range<Int>, flaw: ReferenceFlaw)
    /// A word glued to a reference; `word` is that word, `hash` the reference's `#`.
    case gluedWord(token: Range<Int>, word: Range<Int>, hash: Int, kind: GluedWord)
}
