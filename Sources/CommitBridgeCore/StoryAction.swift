/// What a tag group asks Tracker to do with the stories it names.
///
/// The cases are ordered by strength: a story named several times keeps its strongest action.
public enum StoryAction: String, Sendable, Hashable, Comparable, CaseIterable {
    /// A plain reference: the story gets a comment and, if not yet started, starts.
    case mention
    /// A finish-family verb (fix, finish, complete and their forms).
    case finish
    /// A deliver-family verb (deliver and its forms).
    case deliver

    private var strength: Int {
        switch self {
        case .mention: return 0
        case .finish: return 1
        case .deliver: return 2
        }
    }

    public static func < (lhs: StoryAction, rhs: StoryAction) -> Bool {
        lhs.strength < rhs.strength
    }
}
