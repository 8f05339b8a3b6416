/// Capped exponential backoff with full jitter, honouring a server's `Retry-After`.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first one included.
    public var maxAttempts: Int
    /// The backoff ceiling before jitter for the first retry, in seconds.
    public var baseDelay: Double
    /// No wait is longer than this, in seconds (a longer `Retry-After` is cut to it).
    public var maxDelay: Double

    public init(maxAttempts: Int = 6, baseDelay: Double = 0.2, maxDelay: Double = 10) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Seconds to wait before retry number `retry` (1 for the first retry).
    /// - Parameters:
    ///   - retryAfter: the server's `Retry-After` in seconds, if it sent one; it is a floor, not a hint.
    ///   - unitRandom: a number in [0, 1) for the jitter.
    public func delay(beforeRetry retry: Int, retryAfter: Double?, unitRandom: Double) -> Double {
        let exponent = Double(min(max(retry - 1, 0), 30))
        var ceiling = baseDelay
        for _ in 0..<Int(exponent) { ceiling *= 2 }
        let backoff = min(maxDelay, ceiling) * min(max(unitRandom, 0), 1)
        if let retryAfter, retryAfter > 0 {
            return min(maxDelay, max(retryAfter, backoff))
        }
        return backoff
    }
}
