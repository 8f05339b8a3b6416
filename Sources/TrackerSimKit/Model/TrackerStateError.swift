/// Why a fixtures or state file could not be used.
public enum TrackerStateError: Error, CustomStringConvertible, Equatable {
    /// Two stories share one id.
    case duplicateStory(Int64)
    /// The file is not a readable fixtures/state document.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .duplicateStory(let id):
            return "story \(id) appears more than once"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        }
    }
}
