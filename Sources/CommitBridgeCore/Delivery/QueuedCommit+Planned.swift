extension QueuedCommit {
    /// The queue entry for a planned commit: its stories and its exact request body.
    public init(planned: PlannedCommit, at time: Double) {
        self.init(sha: planned.sha, stories: planned.references.map(\.story),
                  body: planned.payload.json.serialized(), enqueuedAt: time)
    }
}
