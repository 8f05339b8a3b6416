/// What a hook did with the commits it was given: queued them, or, when the state database was
/// busy or could not be written, kept them in the spill file for the next run to queue.
public struct HookQueueOutcome: Sendable, Hashable {
    /// Commits added to the queue (those already queued or delivered are not counted).
    public var queued = 0
    /// The commits kept in the spill file, oldest first.
    public var spilled: [String] = []
    /// The spill file they were kept in.
    public var spillFile: String?
    /// Why the database did not take them, one line.
    public var problem: String?

    public init(queued: Int = 0, spilled: [String] = [], spillFile: String? = nil, problem: String? = nil) {
        self.queued = queued
        self.spilled = spilled
        self.spillFile = spillFile
        self.problem = problem
    }

    /// e.g. `the state database could not take new commits (database is locked …); commit 1a2b3c4 was
    /// kept in <file> and will be queued by the next commitbridge run …`, or nil when nothing was kept.
    public var spillLine: String? {
        guard let first = spilled.first, let spillFile else { return nil }
        let commits = spilled.count == 1 ? "commit \(first.prefix(7)) was" : "\(spilled.count) commits were"
        return "the state database could not take new commits (\(problem ?? "busy")); \(commits) kept in \(spillFile) "
            + "and will be queued by the next commitbridge run (a hook, flush, replay or status)"
    }
}
