/// How a word relates to the Tracker verbs.
enum VerbMatch {
    /// The word is a verb of this family (case-insensitive).
    case exact(VerbFamily)
    /// The word is a near miss of a verb; `suggestion` is the verb it most likely meant.
    case near(suggestion: String)
}
