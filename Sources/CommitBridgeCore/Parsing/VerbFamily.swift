/// The two families of Tracker state verbs.
enum VerbFamily: Sendable {
    /// fix, finish, complete and their forms.
    case finish
    /// deliver and its forms.
    case deliver
}
