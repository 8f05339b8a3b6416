// Tracker stories as commitbridge knows them: their type and state, the record kept of one,
// the answer to looking one up, and what a posted commit does to a story's state.

/// A Tracker story's `story_type`.
public enum StoryType: String, Sendable, Hashable, CaseIterable, Codable {
    case feature, bug, chore, release
}

/// A Tracker story's `current_state`.
public enum StoryState: String, Sendable, Hashable, CaseIterable, Codable {
    case unscheduled, unstarted, planned, started, finished, delivered, rejected, accepted

    /// How far along the workflow the state is; `rejected` sits after `delivered`.
    fileprivate var progress: Int {
        switch self {
        case .unscheduled, .unstarted, .planned: return 0
        case .started: return 1
        case .finished: return 2
        case .delivered: return 3
        case .rejected: return 4
        case .accepted: return 5
        }
    }

    /// Not yet started: a mention starts it.
    public var isNotStarted: Bool { progress == 0 }
}

/// What commitbridge keeps of a Tracker story (from `GET /stories/{id}`).
public struct StoryRecord: Sendable, Hashable, Codable {
    public let id: Int64
    public let projectID: Int64
    public let type: StoryType
    public let state: StoryState
    public let name: String
    public let url: String?

    public init(id: Int64, projectID: Int64, type: StoryType, state: StoryState, name: String, url: String?) {
        self.id = id
        self.projectID = projectID
        self.type = type
        self.state = state
        self.name = name
        self.url = url
    }
}

/// The answer to "does story N exist, and which commits does it already carry?".
public enum StoryLookup: Sendable, Hashable {
    /// The story, and the `commit_identifier`s of its comments; fresh from Tracker, also the
    /// comments themselves (a cached look-up keeps only the identifiers).
    case found(StoryRecord, commitIdentifiers: Set<String>, comments: [TrackerComment] = [])
    /// Tracker answered 404: the story does not exist (or the token cannot see it).
    case missing
}

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
