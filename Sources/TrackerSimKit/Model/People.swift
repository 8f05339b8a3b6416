import Foundation

// Who a request acts as: the simulator's people and the tokens that belong to them.

/// A person of the simulated Tracker. Every accepted token belongs to one person: `GET /me` answers
/// that person, and a comment a posted commit leaves records that person's id as `person_id`.
///
/// Its JSON is `GET /me`'s answer (`kind` `me`; the token itself is never echoed back).
public struct SimulatedPerson: Encodable, Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let initials: String
    public let username: String
    public let email: String

    public init(id: Int64, name: String, initials: String, username: String, email: String) {
        self.id = id
        self.name = name
        self.initials = initials
        self.username = username
        self.email = email
    }

    /// The person of the plain `--token T`, and the author of comments that name no one else.
    public static let defaultPerson = SimulatedPerson(id: 101, name: "Simulated User", initials: "SU",
                                                      username: "sim", email: "sim@example.com")

    /// A person made from the `NAME` of `--token NAME=TOKEN`: `NAME` is the name as given; the
    /// initials are the first letter of each word, the username the words in lower case joined by
    /// `_`, and the email `username@example.com`. A `NAME` that is an email address is kept as the
    /// email, and its part before `@` gives the words.
    public init(id: Int64, derivedFrom name: String) {
        let at = name.lastIndex(of: "@")
        let localPart = at.map { name[..<$0] } ?? name[...]
        let words = localPart.split { !$0.isLetter && !$0.isNumber }
        let username = words.isEmpty ? "person\(id)" : words.joined(separator: "_").lowercased()
        let isEmail = at.map { $0 != name.startIndex && name.index(after: $0) != name.endIndex } ?? false
        self.init(id: id, name: name,
                  initials: words.isEmpty ? "P" : String(words.compactMap(\.first)).uppercased(),
                  username: username,
                  email: isEmail ? name : "\(username)@example.com")
    }

    enum CodingKeys: String, CodingKey {
        case kind, id, name, initials, username, email
        case apiToken = "api_token"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("me", forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(initials, forKey: .initials)
        try container.encode(username, forKey: .username)
        try container.encode(email, forKey: .email)
        try container.encode("***", forKey: .apiToken)
    }
}

/// The tokens the simulator accepts and whose each one is.
///
/// Built from the values of `--token`: a value without `=` is the default person's token (at most
/// one), a value `NAME=TOKEN` gives a person of its own. Named people get the ids after the default
/// person's, in the order given (102, 103, …), so a test can count on them.
public struct TokenDirectory: Sendable, Equatable {
    /// The plain token, the default person's; nil when only named tokens were given.
    public let defaultToken: String?
    /// The named people, in the order given.
    public let namedPeople: [SimulatedPerson]
    private let personByToken: [String: SimulatedPerson]

    /// Only the default person, with `defaultToken`.
    public init(defaultToken: String) {
        self.defaultToken = defaultToken
        self.namedPeople = []
        self.personByToken = [defaultToken: .defaultPerson]
    }

    /// Reads the values of `--token`, in order.
    /// - Throws: ``Problem`` when there is no token, an empty one, two plain ones, or a token or
    ///   name given twice.
    public init(arguments: [String]) throws(Problem) {
        var defaultToken: String?
        var named: [SimulatedPerson] = []
        var byToken: [String: SimulatedPerson] = [:]
        for argument in arguments {
            let person: SimulatedPerson
            let token: String
            if let equals = argument.firstIndex(of: "=") {
                let name = argument[..<equals].trimmingCharacters(in: .whitespaces)
                token = String(argument[argument.index(after: equals)...])
                guard !name.isEmpty else { throw .emptyName }
                guard !named.contains(where: { $0.name == name }) else { throw .nameGivenTwice(name) }
                person = SimulatedPerson(id: SimulatedPerson.defaultPerson.id + 1 + Int64(named.count),
                                         derivedFrom: name)
                named.append(person)
            } else {
                guard defaultToken == nil else { throw .twoDefaultTokens }
                token = argument
                defaultToken = token
                person = .defaultPerson
            }
            guard !token.isEmpty else { throw .emptyToken }
            guard byToken.updateValue(person, forKey: token) == nil else { throw .tokenGivenTwice }
        }
        guard !byToken.isEmpty else { throw .noToken }
        self.defaultToken = defaultToken
        self.namedPeople = named
        self.personByToken = byToken
    }

    /// The person `token` belongs to, or nil when it is missing or not one of the configured tokens.
    public func person(forToken token: String?) -> SimulatedPerson? {
        token.flatMap { personByToken[$0] }
    }

    /// Why the `--token` values cannot be used. The messages never show a token.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noToken
        case emptyToken
        case emptyName
        case twoDefaultTokens
        case tokenGivenTwice
        case nameGivenTwice(String)

        public var description: String {
            switch self {
            case .noToken: return "--token is required."
            case .emptyToken: return "--token must not be empty."
            case .emptyName: return "--token NAME=TOKEN needs a name before the '='."
            case .twoDefaultTokens: return "only one --token may be given without a name; name the others NAME=TOKEN."
            case .tokenGivenTwice: return "each --token must be different: one token belongs to one person."
            case .nameGivenTwice(let name): return "the name '\(name)' is given to two tokens."
            }
        }
    }
}
