/// Counters of the story cache, for `commitbridge status`.
public struct CacheStatistics: Sendable, Hashable {
    /// Stories cached (found or missing).
    public let entries: Int
    /// Look-ups answered from the cache, over the state directory's life.
    public let hits: Int
    /// Look-ups that had to ask Tracker.
    public let misses: Int

    public init(entries: Int, hits: Int, misses: Int) {
        self.entries = entries
        self.hits = hits
        self.misses = misses
    }

    /// hits / (hits + misses), or nil before the first look-up.
    public var hitRate: Double? {
        hits + misses == 0 ? nil : Double(hits) / Double(hits + misses)
    }
}
