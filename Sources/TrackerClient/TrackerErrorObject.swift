import CommitBridgeCore
import Foundation

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
