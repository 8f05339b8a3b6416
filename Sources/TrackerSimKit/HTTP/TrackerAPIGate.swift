import HTTPTypes
import Hummingbird

/// Runs in front of every API request (paths under `/services/v5`; `/__sim` passes straight through).
///
/// In this order:
/// 1. `--latency-ms`: sleeps first, whatever the answer will be; then `--broken-answer` answers
///    every request its way (no token check, no effect).
/// 2. Counts the request; a missing or unknown `X-TrackerToken` is answered 403. A known one sets
///    the context's ``SimulatorRequestContext/person``: the request acts as that token's person.
/// 3. `--rate-limit`: over the limit is answered 429 with `Retry-After: 1`, before any effect.
/// 4. `--fail-rate`: a failing request is answered, by kind (see ``InjectedFault``):
///    - before the effect: 500, the handler never runs;
///    - after the effect: for a non-GET request (that is, `POST /source_commits`) the handler runs,
///      its result (the applied commit) stays, and the client gets 502; for a GET, 503 at once.
/// 5. `--broken-post`: a `POST /source_commits` that got through is applied, then answered that way.
struct TrackerAPIGate: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    static var apiPrefix: String { "/services/v5" }
    static var tokenField: HTTPField.Name { HTTPField.Name("X-TrackerToken")! }

    let tracker: SimulatedTracker
    let tokens: TokenDirectory
    let latency: Duration?
    var brokenAnswer: BrokenAnswer? = nil
    var brokenPost: BrokenAnswer? = nil

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == Self.apiPrefix || path.hasPrefix(Self.apiPrefix + "/") else {
            return try await next(request, context)
        }
        if let latency {
            try await Task.sleep(for: latency)
        }
        if let brokenAnswer {
            await tracker.countBrokenAnswer()
            return brokenAnswer.response(forPath: path)
        }
        let person = tokens.person(forToken: request.headers[Self.tokenField])
        var context = context
        context.person = person
        switch await tracker.admit(authenticated: person != nil, at: .now) {
        case .proceed:
            guard let brokenPost, request.method == .post else {
                return try await next(request, context)
            }
            _ = try? await next(request, context)
            return brokenPost.response(forPath: path)
        case .forbidden:
            return TrackerAPIError.invalidAuthentication.response()
        case .rateLimited:
            return TrackerAPIError.rateLimitExceeded.response()
        case .fault(.beforeEffect):
            return TrackerAPIError.injectedServerError.response()
        case .fault(.afterEffect):
            guard request.method != .get && request.method != .head else {
                return TrackerAPIError.injectedUnavailable.response()
            }
            // Apply, then lose the answer. Whatever the handler said (even an error) is dropped.
            _ = try? await next(request, context)
            return TrackerAPIError.injectedBadGateway.response()
        }
    }
}

/// The context of every request: Hummingbird's own, plus the person the request acts as.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Whose token the request carries; set by ``TrackerAPIGate`` once the token is accepted, so it
    /// is nil only under `/__sim`, which needs no token.
    var person: SimulatedPerson?

    init(source: Source) {
        self.coreContext = .init(source: source)
        self.person = nil
    }

    /// The person the request acts as.
    /// - Throws: 403 `invalid_authentication` when no token was accepted (a handler outside the gate).
    func actingPerson() throws -> SimulatedPerson {
        guard let person else { throw TrackerAPIError.invalidAuthentication }
        return person
    }
}
