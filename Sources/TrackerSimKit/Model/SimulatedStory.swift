import CommitBridgeCore
import Foundation

/// A story as the simulator stores it and as `GET /stories/{id}` shows it.
///
/// Its JSON is Tracker's story object (`kind`, `id`, `project_id`, `name`, `story_type`,
/// `current_state`, `url`, `created_at`, `updated_at`). Decoding is lenient so that fixture files
/// may leave out everything but `id` and `project_id`.
public struct SimulatedStory: Codable, Sendable, Hashable {
    public let id: Int64
    public var projectID: Int64
    public var name: String
    public var storyType: StoryType
    public var currentState: StoryState
    public var url: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, projectID: Int64, name: String? = nil, storyType: StoryType = .feature,
                currentState: StoryState = .unstarted, url: String? = nil, createdAt: Date? = nil,
                updatedAt: Date? = nil) {
        self.id = id
        self.projectID = projectID
        self.name = name ?? "Story \(id)"
        self.storyType = storyType
        self.currentState = currentState
        self.url = url ?? Self.defaultURL(for: id)
        let created = createdAt ?? SimulatorClock.now()
        self.createdAt = created
        self.updatedAt = updatedAt ?? created
    }

    /// The URL a story gets when its fixture names none.
    public static func defaultURL(for id: Int64) -> String {
        "https://tracker.local/story/show/\(id)"
    }

    enum CodingKeys: String, CodingKey {
        case kind, id, name, url
        case projectID = "project_id"
        case storyType = "story_type"
        case currentState = "current_state"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(Int64.self, forKey: .id),
            projectID: try container.decode(Int64.self, forKey: .projectID),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            storyType: try container.decodeIfPresent(StoryType.self, forKey: .storyType) ?? .feature,
            currentState: try container.decodeIfPresent(StoryState.self, forKey: .currentState) ?? .unstarted,
            url: try container.decodeIfPresent(String.self, forKey: .url),
            createdAt: try container.decodeIfPresent(Date.self, forKey: .createdAt),
            updatedAt: try container.decodeIfPresent(Date.self, forKey: .updatedAt)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("story", forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encode(projectID, forKey: .projectID)
        try container.encode(name, forKey: .name)
        try container.encode(storyType, forKey: .storyType)
        try container.encode(currentState, forKey: .currentState)
        try container.encode(url, forKey: .url)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
