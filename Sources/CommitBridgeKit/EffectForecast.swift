import CommitBridgeCore

/// Predicts, commit by commit, what posting would do to each story (dry run with a token).
/// States carry forward: a story finished by one commit is already finished for the next.
public struct EffectForecast: Sendable {
    private var states: [Int64: (StoryRecord, StoryState)] = [:]
    private let lookups: [Int64: StoryLookup]

    public init(lookups: [Int64: StoryLookup]) {
        self.lookups = lookups
        for (id, lookup) in lookups {
            if case .found(let record, _) = lookup { states[id] = (record, record.state) }
        }
    }

    /// One line per reference, e.g. `#555 feature started → finished`, `#9 not found`.
    public mutating func describe(_ planned: PlannedCommit) -> [String] {
        planned.references.map { reference in
            guard let lookup = lookups[reference.story] else {
                return "#\(reference.story) \(reference.action.rawValue) (not looked up)"
            }
            guard case .found(_, let identifiers) = lookup, let (record, current) = states[reference.story] else {
                return "#\(reference.story) not found on Tracker"
            }
            if identifiers.contains(planned.sha) {
                return "#\(reference.story) \(record.type.rawValue) already has this commit: not posted again"
            }
            guard let next = EffectPredictor.newState(for: reference.action, type: record.type, current: current) else {
                return "#\(reference.story) \(record.type.rawValue) \(current.rawValue) (comment only)"
            }
            states[reference.story] = (record, next)
            return "#\(reference.story) \(record.type.rawValue) \(current.rawValue) → \(next.rawValue)"
        }
    }
}
