import HTTPTypes
import Hummingbird

// Fault injection: rate limits, injected failures and broken answers, decided request by request.

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

/// The two kinds of injected failure (each is half of the failures, on average).
public enum InjectedFault: Sendable, Equatable {
    /// Answer 500 at once: the request has no effect.
    case beforeEffect
    /// For a `POST` (`/source_commits`): run the request, then answer 502, so the client sees a
    /// failure although the commit was applied. For a `GET`: answer 503 at once, with no effect.
    case afterEffect
}

/// Decides, request by request, whether to inject a failure (`--fail-rate`) and which kind.
///
/// Each decision draws one number from the generator (fail or not); a failing request draws a
/// second one (before or after the effect, half each). Nothing is drawn when the rate is 0.
struct FaultInjector: Sendable {
    /// Probability (0…1) that a request fails.
    let failRate: Double
    private var generator: SplitMix64

    init(failRate: Double, generator: SplitMix64) {
        self.failRate = failRate
        self.generator = generator
    }

    mutating func draw() -> InjectedFault? {
        guard failRate > 0 else { return nil }
        guard generator.nextUnitInterval() < failRate else { return nil }
        return generator.next() >> 63 == 0 ? .beforeEffect : .afterEffect
    }
}

/// A small seeded pseudo-random generator (the SplitMix64 scheme: a Weyl sequence run through a
/// 64-bit mixing function). The same seed always gives the same numbers, on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var counter: UInt64

    public init(seed: UInt64) {
        counter = seed
    }

    public mutating func next() -> UInt64 {
        counter &+= 0x9E37_79B9_7F4A_7C15
        var mixed = counter
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number in [0, 1) built from the top 53 bits of the next value.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}

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

/// An answer no Tracker would give, for testing how a client copes with a misconfigured URL, a
/// proxy's error page or a server that moved (`--broken-answer`, `--broken-post`).
public enum BrokenAnswer: Sendable, Equatable {
    /// 200 with an HTML page, as a web server or a captive portal would answer.
    case html
    /// 200 with no body at all.
    case emptyBody
    /// 200 labelled `application/json` whose body is not JSON.
    case invalidJSON
    /// 404 with a web server's "Not Found" page, as a proxy in front of the wrong path answers.
    case notFoundPage
    /// 307 to the same path under another base URL (the client must not follow it).
    case redirect(to: String)

    /// Reads `html`, `empty`, `invalid-json`, `not-found-page` or `redirect=URL`; nil for anything else.
    public init?(argument: String) {
        switch argument {
        case "html": self = .html
        case "empty": self = .emptyBody
        case "invalid-json": self = .invalidJSON
        case "not-found-page": self = .notFoundPage
        default:
            let prefix = "redirect="
            guard argument.hasPrefix(prefix), argument.count > prefix.count else { return nil }
            self = .redirect(to: String(argument.dropFirst(prefix.count)))
        }
    }

    /// The response for a request to `path`.
    func response(forPath path: String) -> Response {
        switch self {
        case .html:
            let page = "<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><p>Not an API.</p></body></html>\n"
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        case .notFoundPage:
            let page = "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>\n"
            return Response(status: .notFound, headers: [.contentType: "text/html"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        case .emptyBody:
            return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: "0"])
        case .invalidJSON:
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"kind\": \"story\", \"id\": ")))
        case .redirect(let base):
            let target = base.hasSuffix("/") ? String(base.dropLast()) + path : base + path
            return Response(status: .temporaryRedirect, headers: [.location: target, .contentLength: "0"])
        }
    }
}
