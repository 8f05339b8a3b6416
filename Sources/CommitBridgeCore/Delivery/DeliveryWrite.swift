/// One of the durable writes of a delivery, as `DeliveryStore.perform(_:)` takes them in a batch.
public enum DeliveryWrite: Sendable, Equatable {
    /// Count a POST attempt (see `DeliveryStore.markAttempt`).
    case attempt(sha: String, at: Double)
    /// Move a commit from the queue to the ledger (see `DeliveryStore.recordDelivered`).
    case delivered(sha: String, stories: [Int64], outcome: DeliveryOutcome, response: String?, at: Double)
    /// Replace a story's cache entry (see `DeliveryStore.storeStory`).
    case cachedStory(id: Int64, lookup: StoryLookup, at: Double)
}
