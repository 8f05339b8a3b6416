import CommitBridgeCore

/// `GET /stories/{id}`'s answer, the fields commitbridge reads.
struct StoryResource: Decodable {
    let id: Int64
    let projectID: Int64
    let storyType: String
    let currentState: String
    let name: String?
    let url: String?
    /// Present when the request asked for nested comments and the server honoured it.
    let comments: [CommentResource]?

    enum CodingKeys: String, CodingKey {
        case id, name, url, comments
        case projectID = "project_id"
        case storyType = "story_type"
        case currentState = "current_state"
    }

    var record: StoryRecord {
        StoryRecord(id: id, projectID: projectID, type: StoryType(rawValue: storyType) ?? .feature,
                    state: StoryState(rawValue: currentState) ?? .unstarted, name: name ?? "", url: url)
    }
}

/// One comment of `GET …/comments`.
struct CommentResource: Decodable {
    let commitIdentifier: String?

    enum CodingKeys: String, CodingKey {
        case commitIdentifier = "commit_identifier"
    }
}

/// `GET /me`'s answer.
struct PersonResource: Decodable {
    let name: String?
}
