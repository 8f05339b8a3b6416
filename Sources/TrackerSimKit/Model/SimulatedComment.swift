import Foundation

/// A comment a posted source commit left on a story, as Tracker's comments endpoint shows it.
public struct SimulatedComment: Codable, Sendable, Hashable {
    public let id: Int64
    public let storyID: Int64
    /// The commit message, then the commit URL on its own line when one was given.
    public let text: String
    public let personID: Int64
    /// The posted `commit_id` (the commit's SHA).
    public let commitIdentifier: String
    /// Always `git`.
    public let commitType: String
    public let createdAt: Date

    public init(id: Int64, storyID: Int64, text: String, personID: Int64 = CurrentUser.simulatedID,
                commitIdentifier: String, commitType: String = "git", createdAt: Date? = nil) {
        self.id = id
        self.storyID = storyID
        self.text = text
        self.personID = personID
        self.commitIdentifier = commitIdentifier
        self.commitType = commitType
        self.createdAt = createdAt ?? SimulatorClock.now()
    }

    enum CodingKeys: String, CodingKey {
        case kind, id, text
        case storyID = "story_id"
        case personID = "person_id"
        case commitIdentifier = "commit_identifier"
        case commitType = "commit_type"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(Int64.self, forKey: .id),
            storyID: try container.decode(Int64.self, forKey: .storyID),
            text: try container.decode(String.self, forKey: .text),
            personID: try container.decodeIfPresent(Int64.self, forKey: .personID) ?? CurrentUser.simulatedID,
            commitIdentifier: try container.decode(String.self, forKey: .commitIdentifier),
            commitType: try container.decodeIfPresent(String.self, forKey: .commitType) ?? "git",
            createdAt: try container.decodeIfPresent(Date.self, forKey: .createdAt)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("comment", forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encode(storyID, forKey: .storyID)
        try container.encode(text, forKey: .text)
        try container.encode(personID, forKey: .personID)
        try container.encode(commitIdentifier, forKey: .commitIdentifier)
        try container.encode(commitType, forKey: .commitType)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
