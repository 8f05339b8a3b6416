/// One entry of a Tracker error's `validation_errors`.
struct ValidationProblem: Encodable, Sendable, Equatable {
    let field: String
    let problem: String
}
