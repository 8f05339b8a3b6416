/// The two families of Tracker state verbs (SPEC §1 rule 4).
enum VerbFamily: Sendable {
    /// fix, finish, complete and their forms.
    case finish
    /// deliver and its forms.
    case deliver
}
