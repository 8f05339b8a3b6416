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
