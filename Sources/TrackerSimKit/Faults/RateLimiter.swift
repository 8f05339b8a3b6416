/// `--rate-limit N`: at most N requests in a one-second window. The window opens with the first
/// request after the previous window has closed.
struct RateLimiter: Sendable {
    /// Requests allowed per window.
    let limit: Int
    private var windowStart: ContinuousClock.Instant?
    private var admitted = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts the request and says whether it may go on.
    mutating func admit(at now: ContinuousClock.Instant) -> Bool {
        if let start = windowStart, now - start < .seconds(1) {
            // Still inside the current window.
        } else {
            windowStart = now
            admitted = 0
        }
        guard admitted < limit else { return false }
        admitted += 1
        return true
    }
}
