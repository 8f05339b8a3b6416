/// Something inside a `[` … `]` span that may deserve a warning. Ranges are byte offsets.
enum SpanFinding {
    case unknownWord(Range<Int>)
    case misspelledVerb(Range<Int>, suggestion: String)
    case bareNumber(Range<Int>)
    /// A `#` token followed by a number token (`[# 123]`).
    case detachedHash(hash: Int, number: Range<Int>)
    case brokenReference(token: Range<Int>, digits: Range<Int>, flaw: ReferenceFlaw)
    /// A word glued to a reference (`Fixes#9`); `word` is that word, `hash` the reference's `#`,
    /// `verb` what the word is to the verb table (a glued verb does not count as one).
    case gluedWord(token: Range<Int>, word: Range<Int>, hash: Int, verb: VerbMatch?)
}
