/// A Tracker story's `current_state`.
public enum StoryState: String, Sendable, Hashable, CaseIterable, Codable {
    case unscheduled, unstarted, planned, started, finished, delivered, rejected, accepted

    /// How far along the workflow the state is; `rejected` sits after `delivered`.
    var progress: Int {
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
