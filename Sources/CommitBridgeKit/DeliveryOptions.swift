/// How a delivery run talks to Tracker.
public struct DeliveryOptions: Sendable, Hashable {
    /// Requests in flight at most.
    public var concurrency: Int
    /// Seconds a cached story look-up stays valid.
    public var cacheTimeToLive: Double
    /// Seconds one request may take.
    public var requestTimeout: Double
    /// Ask Tracker again about stories it said do not exist, without waiting for that answer to
    /// pass the cache's time-to-live.
    public var retryMissing: Bool

    public init(concurrency: Int = 4, cacheTimeToLive: Double = 3600, requestTimeout: Double = 30,
                retryMissing: Bool = false) {
        self.concurrency = concurrency
        self.cacheTimeToLive = cacheTimeToLive
        self.requestTimeout = requestTimeout
        self.retryMissing = retryMissing
    }
}
