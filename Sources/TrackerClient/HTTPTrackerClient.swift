import AsyncHTTPClient
import CommitBridgeCore
import Foundation
import NIOCore
import NIOHTTP1

/// The Tracker v5 client on async-http-client: one pooled keep-alive client, a bounded number of
/// requests in flight, a per-request timeout, and retries with capped exponential backoff and
/// jitter for connection errors, timeouts, 5xx and 429. Redirects are never followed.
public final class HTTPTrackerClient: Sendable {
    private let http: HTTPClient
    private let baseURL: String
    private let token: TrackerToken
    private let limiter: RequestLimiter
    private let policy: RetryPolicy
    private let requestTimeout: TimeAmount
    /// Seconds to wait, after a POST that got no answer, before asking Tracker whether it applied it.
    private let unansweredPostPause: Double
    private let random: @Sendable () -> Double
    private let sleep: @Sendable (Double) async throws -> Void

    /// - Parameters:
    ///   - concurrency: requests in flight at most (and pooled connections).
    ///   - timeout: seconds one request may take.
    public init(endpoint: TrackerEndpoint, token: TrackerToken, concurrency: Int = 4, timeout: Double = 30,
                policy: RetryPolicy = RetryPolicy(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                sleep: @escaping @Sendable (Double) async throws -> Void = { seconds in
                    try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
                }) {
        // The library stops the process on a time it cannot represent: keep to what it can.
        let timeout = timeout.isFinite ? min(max(timeout, 0.001), 86_400) : 30
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .milliseconds(Int64(timeout * 1000)))
        )
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, concurrency))
        // Our own retry policy decides about refused connections; the pool's retrying would wait for the
        // whole request deadline first.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .automatic
        // No tracing: otherwise every request opens a span on the global no-op tracer and takes its
        // URL apart again for the span's attributes (7% of a 300-commit replay's main thread).
        configuration.tracing.tracer = nil
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        baseURL = endpoint.baseURL
        self.token = token
        limiter = RequestLimiter(limit: concurrency)
        self.policy = policy
        requestTimeout = .milliseconds(Int64(timeout * 1000))
        // A server slower than the timeout may still be applying the POST: give it as long again.
        unansweredPostPause = timeout
        self.random = random
        self.sleep = sleep
    }

    /// Closes the connection pool. Call once, when done.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// The closures the delivery service calls.
    public var api: TrackerAPI {
        TrackerAPI(
            postSourceCommit: { body, stillNeeded in try await self.postSourceCommit(body, stillNeeded: stillNeeded) },
            story: { id in try await self.story(id) },
            commitIdentifiers: { project, story in try await self.commitIdentifiers(project: project, story: story) },
            me: { try await self.me() }
        )
    }

    // MARK: Operations

    func postSourceCommit(_ body: String, stillNeeded: @escaping @Sendable () async throws -> Bool) async throws -> PostResult {
        let outcome = try await send(.POST, "/source_commits", body: body, beforeAmbiguousRetry: stillNeeded)
        switch outcome {
        case .answer(_, let data):
            // Tracker answers the stories it changed, as JSON. Anything else (a web page, an empty
            // body) means the URL does not lead to Tracker: the commit is not counted as delivered.
            guard data.withUnsafeBytes({ JSONSyntax.isValid($0) }) else {
                throw TrackerRequestError.unreadableAnswer("POST /source_commits: \(Self.shape(of: data)); check the tracker URL")
            }
            return .posted(response: String(decoding: data.prefix(4096), as: UTF8.self))
        case .notNeeded:
            return .alreadyApplied
        }
    }

    /// The story with the commit identifiers of its comments, in one request where the server
    /// honours `fields=…,comments(commit_identifier)` (Tracker does), else with a second request
    /// for the comments.
    func story(_ id: Int64) async throws -> StoryLookup {
        let outcome = try await send(.GET, "/stories/\(id)?fields=\(Self.storyFields)", notFoundIsAnswer: true)
        guard case .answer(let status, let data) = outcome, status != 404 else { return .missing }
        let story: StoryResource
        do {
            story = try JSONDecoder().decode(StoryResource.self, from: data)
        } catch {
            throw TrackerRequestError.unreadableAnswer("story \(id): \(Self.shape(of: data))")
        }
        if let comments = story.comments {
            return .found(story.record, commitIdentifiers: Set(comments.compactMap(\.commitIdentifier)),
                          comments: comments.map(\.comment))
        }
        return .found(story.record, commitIdentifiers: try await commitIdentifiers(project: story.projectID, story: id))
    }

    /// `:default,comments(commit_identifier,text,created_at)`, percent-encoded: the story's usual
    /// fields and, nested, what dedup reads of each comment (which commit it was made for, and for
    /// a rewritten commit, its text and time).
    static let storyFields = "%3Adefault%2Ccomments%28commit_identifier%2Ctext%2Ccreated_at%29"

    func commitIdentifiers(project: Int64, story: Int64) async throws -> Set<String> {
        let outcome = try await send(.GET, "/projects/\(project)/stories/\(story)/comments?fields=commit_identifier")
        guard case .answer(_, let data) = outcome else { return [] }
        do {
            let comments = try JSONDecoder().decode([CommentResource].self, from: data)
            return Set(comments.compactMap(\.commitIdentifier))
        } catch {
            throw TrackerRequestError.unreadableAnswer("comments of story \(story): \(Self.shape(of: data))")
        }
    }

    func me() async throws -> String {
        let outcome = try await send(.GET, "/me")
        guard case .answer(_, let data) = outcome else { return "" }
        do {
            let name = try JSONDecoder().decode(PersonResource.self, from: data).name ?? "(unnamed)"
            return TerminalSafeText.line(name, limit: Self.nameLimit)
        } catch {
            throw TrackerRequestError.unreadableAnswer("/me: \(Self.shape(of: data))")
        }
    }

    // MARK: Sending with retries

    enum Outcome {
        case answer(status: Int, body: Data)
        case notNeeded
    }

    /// Sends one request, retrying transient failures. For a POST, a failure after which Tracker may
    /// have applied the request is only retried when `beforeAmbiguousRetry` says it is still needed.
    private func send(_ method: HTTPMethod, _ path: String, body: String? = nil, notFoundIsAnswer: Bool = false,
                      beforeAmbiguousRetry: (@Sendable () async throws -> Bool)? = nil) async throws -> Outcome {
        var attempt = 0
        var lastProblem = ""
        while true {
            attempt += 1
            let result = await attemptOnce(method, path, body: body)
            var retryAfter: Double?
            var ambiguous = false
            var unanswered = false
            switch result {
            case .success(let status, let headers, let data):
                if (200..<300).contains(status) {
                    return .answer(status: status, body: data)
                }
                if status == 404 {
                    // Only Tracker's own error object says that the thing asked for does not exist.
                    // Any other 404 (a web server's page, another API's error, no body) means the
                    // request never reached Tracker's API: the URL is wrong, and nothing may be
                    // concluded about the story.
                    let error = TrackerErrorObject.parse(data)
                    guard error?.code == "unfound_resource" else {
                        throw TrackerRequestError.wrongAddress(baseURL: baseURL, path: path, answer: error?.code ?? Self.shape(of: data))
                    }
                    if notFoundIsAnswer { return .answer(status: status, body: data) }
                    throw TrackerRequestError.rejected(status: status, error: error)
                }
                if (300..<400).contains(status) {
                    throw TrackerRequestError.redirected(status: status, location: headers.first(name: "location"))
                }
                if status == 429 {
                    retryAfter = Self.retryAfterSeconds(headers.first(name: "retry-after"))
                    lastProblem = "rate limited (429)"
                } else if status >= 500 {
                    lastProblem = "Tracker answered \(status)" + (TrackerErrorObject.parse(data).map { ": \($0.summary)" } ?? "")
                    ambiguous = method == .POST
                } else {
                    throw TrackerRequestError.rejected(status: status, error: TrackerErrorObject.parse(data))
                }
            case .failure(let problem, let requestMayHaveArrived):
                lastProblem = problem
                ambiguous = method == .POST && requestMayHaveArrived
                unanswered = ambiguous
            case .permanentFailure(let problem):
                throw TrackerRequestError.gaveUp(attempts: attempt, lastProblem: problem)
            }
            if attempt >= policy.maxAttempts {
                throw TrackerRequestError.gaveUp(attempts: attempt, lastProblem: lastProblem)
            }
            var pause = policy.delay(beforeRetry: attempt, retryAfter: retryAfter, unitRandom: random())
            if unanswered {
                // The POST's outcome is unknown (it timed out, or the connection was lost after it
                // went out): Tracker may apply it late. Its comments are read only after this pause.
                pause = max(pause, unansweredPostPause)
            }
            try await sleep(pause)
            if ambiguous, let beforeAmbiguousRetry, try await !beforeAmbiguousRetry() {
                return .notNeeded
            }
        }
    }

    enum AttemptResult {
        case success(status: Int, headers: HTTPHeaders, body: Data)
        /// No HTTP answer. `requestMayHaveArrived` is false only when the connection was never made.
        case failure(problem: String, requestMayHaveArrived: Bool)
        /// No HTTP answer, and trying again cannot help (the TLS handshake failed).
        case permanentFailure(problem: String)
    }

    private func attemptOnce(_ method: HTTPMethod, _ path: String, body: String?) async -> AttemptResult {
        var draft = HTTPClientRequest(url: baseURL + path)
        draft.method = method
        draft.headers.add(name: "X-TrackerToken", value: token.revealedForRequest)
        draft.headers.add(name: "Accept", value: "application/json")
        draft.headers.add(name: "User-Agent", value: CommitBridgeVersion.userAgent)
        if let body {
            draft.headers.add(name: "Content-Type", value: "application/json")
            draft.body = .bytes(ByteBuffer(string: body))
        }
        let request = draft
        let timeout = requestTimeout
        do {
            return try await limiter.run {
                // The library's deadline ends at the response head, and its read timeout restarts with
                // every byte: a server that dribbles the body would hold the attempt for ever. This
                // deadline covers the whole exchange; when it passes, the request's task is cancelled.
                try await withThrowingTaskGroup(of: AttemptResult.self) { group in
                    group.addTask {
                        let response = try await self.http.execute(request, timeout: timeout)
                        let buffer = try await response.body.collect(upTo: Self.maximumAnswerBytes)
                        return .success(status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView))
                    }
                    group.addTask {
                        try await Task.sleep(nanoseconds: UInt64(timeout.nanoseconds))
                        throw AttemptDeadlinePassed()
                    }
                    defer { group.cancelAll() }
                    return try await group.next()!
                }
            }
        } catch is AttemptDeadlinePassed {
            // Headers may have come already: for a POST, Tracker may have applied it.
            return .failure(problem: "timed out waiting for Tracker", requestMayHaveArrived: true)
        } catch {
            if Self.isTLSError(error) { return .permanentFailure(problem: Self.describe(error)) }
            return .failure(problem: Self.describe(error), requestMayHaveArrived: !Self.isConnectFailure(error))
        }
    }

    /// The whole attempt took longer than the request timeout.
    struct AttemptDeadlinePassed: Error {}

    // MARK: Helpers

    /// The largest answer read; a larger one is a failure ("larger than 8 MiB").
    static let maximumAnswerBytes = 8 << 20

    /// The longest `/me` name shown, in characters.
    static let nameLimit = 100

    /// `Retry-After` as seconds (a number, or an HTTP date).
    static func retryAfterSeconds(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    static func isConnectFailure(_ error: Error) -> Bool {
        if let clientError = error as? HTTPClientError, clientError == .connectTimeout { return true }
        return isConnectionError(error)
    }

    /// NIO's connect failure (its type lives in NIOPosix, which this target does not import).
    static func isConnectionError(_ error: Error) -> Bool {
        if String(reflecting: type(of: error)).contains("NIOConnectionError") { return true }
        let text = String(describing: error).lowercased()
        return text.contains("connection refused") || text.contains("connectionrefused")
    }

    /// NIOSSL's errors (handshake, certificate verification); their types live in NIOSSL.
    static func isTLSError(_ error: Error) -> Bool {
        let type = String(reflecting: type(of: error))
        return type.contains("NIOSSL") || type.contains("BoringSSL")
    }

    /// BoringSSL's reason code (`CERTIFICATE_VERIFY_FAILED`), without the build paths its errors carry.
    static func tlsReason(_ error: Error) -> String {
        let text = String(describing: error)
        if let marker = text.range(of: "OPENSSL_internal:") {
            let code = text[marker.upperBound...].prefix { $0.isUppercase || $0 == "_" || $0.isNumber }
            if !code.isEmpty { return String(code) }
        }
        return String(text.prefix { $0 != "(" && $0 != "\n" }.prefix(80))
    }

    static func describe(_ error: Error) -> String {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .readTimeout, .deadlineExceeded: return "timed out waiting for Tracker"
            case .connectTimeout: return "timed out connecting to Tracker"
            case .remoteConnectionClosed: return "Tracker closed the connection"
            default:
                // The short description never holds the case's values (a header value may be the token).
                let what = clientError.shortDescription
                return "the HTTP request could not be made (\(what.prefix(1).lowercased() + what.dropFirst()))"
            }
        }
        if let tooLarge = error as? NIOTooManyBytesError {
            let limit = tooLarge.maxBytes ?? maximumAnswerBytes
            return "Tracker's answer was larger than \(limit >> 20) MiB"
        }
        if isConnectionError(error) { return "cannot connect to Tracker (connection refused or unreachable)" }
        if isTLSError(error) {
            return "TLS handshake with Tracker failed (\(tlsReason(error))); certificates are always verified: "
                + "check the tracker URL and the system's CA certificates"
        }
        let text = String(describing: error)
        return "request failed: " + String(text.prefix(200)).replacingOccurrences(of: "\n", with: " ")
    }

    /// A short description of an unexpected body (never the whole body).
    static func shape(of data: Data) -> String {
        if data.isEmpty { return "the body is empty" }
        let head = TerminalSafeText.line(String(decoding: data.prefix(40), as: UTF8.self))
        if head.lowercased().contains("<html") || head.lowercased().contains("<!doctype") { return "it is HTML, not JSON" }
        return "it is not the expected JSON (starts with '\(head)')"
    }
}

/// Lets at most `limit` requests be in flight at once; the others wait their turn in order.
actor RequestLimiter {
    private let limit: Int
    private var inFlight = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func acquire() async {
        if inFlight < limit {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            inFlight -= 1
        } else {
            // Hand the slot straight to the next waiter.
            waiting.removeFirst().resume()
        }
    }

    /// Runs `work` holding a slot.
    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await work()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }
}
