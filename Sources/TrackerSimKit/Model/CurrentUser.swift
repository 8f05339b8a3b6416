/// The body of `GET /me`: the one simulated user every token belongs to.
public struct CurrentUser: Encodable, Sendable {
    /// The person id of the simulated user; comments are written by this person.
    public static let simulatedID: Int64 = 101
    /// The user `GET /me` answers with.
    public static let simulated = CurrentUser()

    let kind = "me"
    let id = CurrentUser.simulatedID
    let name = "Simulated User"
    let initials = "SU"
    let username = "sim"
    let email = "sim@example.com"
    /// The token is never echoed back.
    let apiToken = "***"

    enum CodingKeys: String, CodingKey {
        case kind, id, name, initials, username, email
        case apiToken = "api_token"
    }
}
