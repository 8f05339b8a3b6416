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
