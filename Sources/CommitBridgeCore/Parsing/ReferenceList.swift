/// The stories of a message in order of first appearance, each with its strongest action.
struct ReferenceList {
    private(set) var references: [StoryReference] = []
    /// Index of each story in `references`, built only once the list outgrows a linear search.
    private var indexByStory: [Int64: Int] = [:]
    private static let linearSearchLimit = 16

    /// Adds one reference, or strengthens the action of a story already listed.
    mutating func add(_ story: Int64, action: StoryAction) {
        if let index = index(of: story) {
            if action > references[index].action {
                references[index] = StoryReference(story: story, action: action)
            }
            return
        }
        references.append(StoryReference(story: story, action: action))
        if references.count > Self.linearSearchLimit {
            if indexByStory.isEmpty {
                for (index, reference) in references.enumerated() { indexByStory[reference.story] = index }
            } else {
                indexByStory[story] = references.count - 1
            }
        }
    }

    private func index(of story: Int64) -> Int? {
        if references.count > Self.linearSearchLimit { return indexByStory[story] }
        return references.firstIndex { $0.story == story }
    }
}
