/// What a posted commit does to a story's state (the state table): stories only move forward.
///
/// | action | feature, bug | chore | release |
/// |---|---|---|---|
/// | mention | not started → started | same | none |
/// | finish | → finished (also from rejected) | → accepted | none |
/// | deliver | → delivered (also from rejected) | → accepted | none |
public enum EffectPredictor {
    /// The state after the action, or nil when the story does not change.
    public static func newState(for action: StoryAction, type: StoryType, current: StoryState) -> StoryState? {
        if type == .release { return nil }
        let target: StoryState
        switch action {
        case .mention:
            return current.isNotStarted ? .started : nil
        case .finish:
            target = type == .chore ? .accepted : .finished
        case .deliver:
            target = type == .chore ? .accepted : .delivered
        }
        if current == target { return nil }
        if current == .rejected && target != .accepted { return target }
        if current == .rejected || current == .accepted { return nil }
        return current.progress < target.progress ? target : nil
    }
}
