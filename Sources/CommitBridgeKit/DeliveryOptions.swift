/// How a delivery run talks to Tracker.
public struct DeliveryOptions: Sendable, Hashable {
    /// Requests in flight at most.
    public var concurrency: Int
    /// Seconds a cached story look-up stays valid.
    public var cacheTimeToLive: Double
    /// Seconds one request may take.
    public var requestTimeout: Double

    public init(concurrency: Int = 4, cacheTimeToLive: Double = 3600, requestTimeout: Double = 30) {
        self.concurrency = concurrency
        self.cacheTimeToLive = cacheTimeToLive
        self.requestTimeout = requestTimeout
    }
}
