/// The body of `POST /source_commits`: `{"source_commit":{commit_id, message, url?, author}}`.
public struct SourceCommit: Sendable, Hashable {
    public let commitID: String
    public let message: String
    /// Left out of the JSON when nil.
    public let url: String?
    public let author: String

    public init(commitID: String, message: String, url: String?, author: String) {
        self.commitID = commitID
        self.message = message
        self.url = url
        self.author = author
    }

    /// The request body as an ordered JSON value.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("commit_id", .string(commitID)),
            ("message", .string(message)),
        ]
        if let url { fields.append(("url", .string(url))) }
        fields.append(("author", .string(author)))
        return .object([("source_commit", .object(fields))])
    }
}
