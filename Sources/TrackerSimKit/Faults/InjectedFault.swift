/// The two kinds of injected failure (each is half of the failures, on average).
public enum InjectedFault: Sendable, Equatable {
    /// Answer 500 at once: the request has no effect.
    case beforeEffect
    /// For a `POST` (`/source_commits`): run the request, then answer 502, so the client sees a
    /// failure although the commit was applied. For a `GET`: answer 503 at once, with no effect.
    case afterEffect
}
