import CommitBridgeCore
import Foundation

// How Tracker's failures reach the caller: Tracker's error object, and every way a request can fail.

/// A Tracker request that did not succeed. Descriptions are one line and never hold the token.
public enum TrackerRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Tracker refused the request (400, 401, 403, 404, other 4xx): not retried.
    case rejected(status: Int, error: TrackerErrorObject?)
    /// Still failing after every retry (connection errors, timeouts, 5xx, 429).
    case gaveUp(attempts: Int, lastProblem: String)
    /// A redirect, which is never followed so the token cannot reach another host.
    case redirected(status: Int, location: String?)
    /// The answer could not be read (not JSON, wrong shape, too large).
    case unreadableAnswer(String)
    /// A 404 that is not Tracker's `unfound_resource` error object: the request did not reach
    /// Tracker's API (a wrong base URL, a proxy's page). `answer` describes what came back.
    case wrongAddress(baseURL: String, path: String, answer: String)

    /// True when retrying later could help (the commit should stay queued for `flush`).
    public var isTransient: Bool {
        if case .gaveUp = self { return true }
        return false
    }

    /// True when the configuration is wrong (the tracker URL): no request can succeed, and nothing
    /// may be recorded from the answers.
    public var isConfigurationProblem: Bool {
        if case .wrongAddress = self { return true }
        return false
    }

    /// True for 401/403: the token is wrong; no other request will do better.
    public var isAuthenticationFailure: Bool {
        if case .rejected(let status, _) = self { return status == 401 || status == 403 }
        return false
    }

    public var description: String {
        switch self {
        case .rejected(let status, let error):
            if let error { return "Tracker answered \(status): \(error.summary)" }
            return "Tracker answered \(status)"
        case .gaveUp(let attempts, let problem):
            return "gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(problem)"
        case .redirected(let status, let location):
            return "Tracker answered a redirect (\(status)) to \(location.map { TerminalSafeText.line(RemoteSafeText.redactingCredentials($0), limit: 200) } ?? "nowhere"); redirects are not followed, so the token never goes to another address: check the tracker URL"
        case .unreadableAnswer(let problem):
            return "Tracker's answer could not be read: \(problem)"
        case .wrongAddress(let baseURL, let path, let answer):
            let shown = RemoteSafeText.redactingCredentials(baseURL)
            let route = path.prefix { $0 != "?" }
            var text = "\(shown)\(route) answered 404 (\(answer)), not Tracker's 'unfound_resource': the tracker URL '\(shown)' does not lead to Tracker's API"
            if !baseURL.hasSuffix("/services/v5") {
                text += "; Tracker's API lives under /services/v5 (e.g. https://www.pivotaltracker.com/services/v5)"
            }
            return text
        }
    }
}

/// Tracker's error resource: `{"kind":"error","code":…,"error":…,"general_problem":…,"possible_fix":…,"validation_errors":[…]}`.
public struct TrackerErrorObject: Sendable, Hashable, Decodable {
    public let code: String?
    public let error: String?
    public let generalProblem: String?
    public let possibleFix: String?
    public let validationErrors: [ValidationError]?

    /// One field's problem.
    public struct ValidationError: Sendable, Hashable, Decodable {
        public let field: String?
        public let problem: String?
    }

    enum CodingKeys: String, CodingKey {
        case code, error
        case generalProblem = "general_problem"
        case possibleFix = "possible_fix"
        case validationErrors = "validation_errors"
    }

    public init(code: String?, error: String?, generalProblem: String? = nil, possibleFix: String? = nil,
                validationErrors: [ValidationError]? = nil) {
        self.code = code
        self.error = error
        self.generalProblem = generalProblem
        self.possibleFix = possibleFix
        self.validationErrors = validationErrors
    }

    /// Parses an error body; nil when it is not Tracker's error object.
    public static func parse(_ body: Data) -> TrackerErrorObject? {
        guard let object = try? JSONDecoder().decode(TrackerErrorObject.self, from: body),
              object.code != nil || object.error != nil else { return nil }
        return object
    }

    /// The longest summary, and the longest of its parts, in characters: a few sentences,
    /// whatever the server sent (a long problem does not push the possible fix out).
    public static let summaryLimit = 400
    public static let partLimit = 150

    /// Everything Tracker said, on one line without control characters, each part cut to
    /// `partLimit` and the whole to `summaryLimit`.
    public var summary: String {
        var parts: [String] = []
        if let code { parts.append(code) }
        if let error { parts.append(error) }
        if let generalProblem { parts.append(generalProblem) }
        for item in validationErrors ?? [] {
            parts.append("\(item.field ?? "?"): \(item.problem ?? "invalid")")
        }
        if let possibleFix { parts.append("possible fix: \(possibleFix)") }
        let text = parts.map { TerminalSafeText.line($0, limit: Self.partLimit) }.joined(separator: " — ")
        return TerminalSafeText.line(text, limit: Self.summaryLimit)
    }
}
