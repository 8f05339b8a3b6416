/// A Tracker story's `story_type`.
public enum StoryType: String, Sendable, Hashable, CaseIterable, Codable {
    case feature, bug, chore, release
}
