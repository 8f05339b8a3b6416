/// What the text glued in front of a story reference's `#` is (`Fixes` in `Fixes#9`).
enum GluedWord {
    /// A verb: it does not count as one, so the group is only a mention.
    case verb
    /// A near-miss of a verb, with the suggested verb.
    case nearVerb(suggestion: String)
    /// Any other word.
    case other
}
