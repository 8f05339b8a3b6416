/// The `source_commit` object of a `POST /source_commits` body, once validated.
public struct PostedSourceCommit: Sendable, Equatable {
    /// The commit SHA (`commit_id`); it becomes each comment's `commit_identifier`.
    public let commitID: String
    public let message: String
    public let url: String?
    public let author: String?

    public init(commitID: String, message: String, url: String? = nil, author: String? = nil) {
        self.commitID = commitID
        self.message = message
        self.url = url
        self.author = author
    }

    /// The comment text: the message, then the URL on its own line when there is one.
    var commentText: String {
        guard let url, !url.isEmpty else { return message }
        return message.hasSuffix("\n") ? message + url : message + "\n" + url
    }
}
