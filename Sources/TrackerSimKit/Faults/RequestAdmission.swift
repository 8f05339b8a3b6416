/// What the simulator decides about an API request before any handler runs.
enum RequestAdmission: Sendable, Equatable {
    /// Go on normally.
    case proceed
    /// Wrong or missing `X-TrackerToken`: 403.
    case forbidden
    /// Over `--rate-limit`: 429 with `Retry-After: 1`.
    case rateLimited
    /// An injected failure (`--fail-rate`).
    case fault(InjectedFault)
}
