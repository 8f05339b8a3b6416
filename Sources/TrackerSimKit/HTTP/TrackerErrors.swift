import HTTPTypes
import Hummingbird

// Tracker's error answers: the error object, its validation entries, and the middleware that turns
// every failure into one.

/// An error answer in Tracker's format: a status, an error object and maybe extra headers.
/// Handlers throw it; ``TrackerErrorMiddleware`` and the router turn it into the response.
struct TrackerAPIError: Error, HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let body: TrackerErrorBody
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    /// The JSON response for this error.
    func response() -> Response {
        JSONResponse.make(body, status: status, headers: headers)
    }

    /// 403: missing or wrong `X-TrackerToken`.
    static let invalidAuthentication = TrackerAPIError(
        status: .forbidden,
        body: .init(code: "invalid_authentication",
                    error: "Invalid authentication credentials were presented.",
                    possibleFix: "Recheck your name (or email) and password, or API Token, and try again."))

    /// 404: no such story, or not in that project.
    static let unfoundResource = TrackerAPIError(
        status: .notFound,
        body: .init(code: "unfound_resource",
                    error: "The object you tried to access could not be found.  It may have been removed by another user, you may be using the ID of another object type, or you may be trying to access a sub-resource at the wrong point in a tree."))

    /// 404: no endpoint at this path and method.
    static let routeNotFound = TrackerAPIError(
        status: .notFound,
        body: .init(code: "route_not_found", error: "The path you requested has no valid endpoint."))

    /// 429: over `--rate-limit`; the client may retry after one second.
    static let rateLimitExceeded = TrackerAPIError(
        status: .tooManyRequests,
        body: .init(code: "rate_limit_exceeded", error: "Too many requests.",
                    possibleFix: "Wait one second and try again."),
        headers: [.retryAfter: "1"])

    /// 500: injected failure before any effect.
    static let injectedServerError = TrackerAPIError(
        status: .internalServerError,
        body: .init(code: "server_error", error: "Tracker encountered an internal error (injected by tracker-sim).",
                    possibleFix: "Try again later."))

    /// 502: injected failure after the commit was applied.
    static let injectedBadGateway = TrackerAPIError(
        status: .badGateway,
        body: .init(code: "bad_gateway", error: "The upstream answer was lost (injected by tracker-sim).",
                    possibleFix: "Try again later."))

    /// 503: injected failure of a read, before any effect.
    static let injectedUnavailable = TrackerAPIError(
        status: .serviceUnavailable,
        body: .init(code: "service_unavailable", error: "Tracker is temporarily unavailable (injected by tracker-sim).",
                    possibleFix: "Try again later."))

    /// 400: a missing or invalid parameter.
    static func invalidParameter(problem: String, field: String, fieldProblem: String) -> TrackerAPIError {
        TrackerAPIError(
            status: .badRequest,
            body: .init(code: "invalid_parameter", error: "One or more request parameters was missing or invalid.",
                        generalProblem: problem,
                        validationErrors: [ValidationProblem(field: field, problem: fieldProblem)]))
    }

    /// Any other status (e.g. 413 from the framework), with a plain error object.
    static func other(_ status: HTTPResponse.Status) -> TrackerAPIError {
        let code = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
        return TrackerAPIError(status: status, body: .init(code: code.isEmpty ? "error" : code,
                                                           error: status.reasonPhrase.isEmpty ? "Error" : status.reasonPhrase))
    }
}

/// Tracker's error object: `{"kind":"error","code":…,"error":…}` with optional
/// `general_problem`, `possible_fix` and `validation_errors`.
struct TrackerErrorBody: Encodable, Sendable, Equatable {
    let code: String
    let error: String
    var generalProblem: String? = nil
    var possibleFix: String? = nil
    var validationErrors: [ValidationProblem]? = nil

    enum CodingKeys: String, CodingKey {
        case kind, code, error
        case generalProblem = "general_problem"
        case possibleFix = "possible_fix"
        case validationErrors = "validation_errors"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("error", forKey: .kind)
        try container.encode(code, forKey: .code)
        try container.encode(error, forKey: .error)
        try container.encodeIfPresent(generalProblem, forKey: .generalProblem)
        try container.encodeIfPresent(possibleFix, forKey: .possibleFix)
        try container.encodeIfPresent(validationErrors, forKey: .validationErrors)
    }
}

/// One entry of a Tracker error's `validation_errors`.
struct ValidationProblem: Encodable, Sendable, Equatable {
    let field: String
    let problem: String
}

/// The outermost middleware: whatever goes wrong, the client gets a JSON error object.
struct TrackerErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as TrackerAPIError {
            return error.response()
        } catch let error as HTTPError {
            // The router's "no such endpoint", the body-size limit, and the like.
            if error.status == .notFound { return TrackerAPIError.routeNotFound.response() }
            return TrackerAPIError.other(error.status).response()
        } catch {
            return TrackerAPIError.other(.internalServerError).response()
        }
    }
}
