/// A (story, commit) pair: the simulator uses it to notice a commit commented twice on one story.
struct CommentKey: Hashable, Sendable {
    let storyID: Int64
    let commitIdentifier: String
}
