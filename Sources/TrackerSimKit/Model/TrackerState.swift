import Foundation

/// Everything the simulated Tracker holds: projects, stories, comments and the next comment id.
///
/// The JSON form is both the fixtures format and the `--state` file format:
/// `{"projects":[…],"stories":[…],"comments":[…],"next_comment_id":N}`. A fixtures file simply
/// leaves out `comments` and `next_comment_id`.
public struct TrackerState: Codable, Sendable, Equatable {
    public var projects: [SimulatedProject]
    /// Stories by id.
    public var stories: [Int64: SimulatedStory]
    /// Comments by story id, oldest first.
    public var comments: [Int64: [SimulatedComment]]
    /// The id the next comment gets.
    public var nextCommentID: Int64

    public init(projects: [SimulatedProject] = [], stories: [SimulatedStory] = [],
                comments: [SimulatedComment] = [], nextCommentID: Int64? = nil) throws {
        self.projects = projects
        self.stories = [:]
        for story in stories {
            guard self.stories.updateValue(story, forKey: story.id) == nil else {
                throw TrackerStateError.duplicateStory(story.id)
            }
        }
        self.comments = Dictionary(grouping: comments, by: \.storyID).mapValues { $0.sorted { $0.id < $1.id } }
        let highestComment = comments.map(\.id).max() ?? 0
        self.nextCommentID = max(nextCommentID ?? 1, highestComment + 1)
    }

    /// The empty state: no projects, no stories.
    public static var empty: TrackerState {
        // Cannot throw: there are no stories to collide.
        try! TrackerState()
    }

    /// The project auto-created stories go to: the first project, or a new project 1 when there is none.
    mutating func projectForNewStories() -> Int64 {
        if let first = projects.first { return first.id }
        let project = SimulatedProject(id: 1, name: "Simulated Project")
        projects.append(project)
        return project.id
    }

    enum CodingKeys: String, CodingKey {
        case projects, stories, comments
        case nextCommentID = "next_comment_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            projects: try container.decodeIfPresent([SimulatedProject].self, forKey: .projects) ?? [],
            stories: try container.decodeIfPresent([SimulatedStory].self, forKey: .stories) ?? [],
            comments: try container.decodeIfPresent([SimulatedComment].self, forKey: .comments) ?? [],
            nextCommentID: try container.decodeIfPresent(Int64.self, forKey: .nextCommentID)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(projects, forKey: .projects)
        try container.encode(stories.values.sorted { $0.id < $1.id }, forKey: .stories)
        try container.encode(comments.values.joined().sorted { $0.id < $1.id }, forKey: .comments)
        try container.encode(nextCommentID, forKey: .nextCommentID)
    }
}

/// Why a fixtures or state file could not be used.
public enum TrackerStateError: Error, CustomStringConvertible, Equatable {
    /// Two stories share one id.
    case duplicateStory(Int64)
    /// The file is not a readable fixtures/state document.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .duplicateStory(let id):
            return "story \(id) appears more than once"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        }
    }
}

/// The `--state` file: the whole ``TrackerState`` as JSON, replaced atomically on every save.
public struct StateFile: Sendable {
    /// Where the state lives.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// True when there is a file to load.
    public var exists: Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Reads the state, or returns nil when the file does not exist.
    public func load() throws -> TrackerState? {
        guard exists else { return nil }
        return try Self.readState(at: path)
    }

    /// Writes the state to a temporary file next to `path`, then renames it over `path`, so that a
    /// reader (or a killed simulator) never sees half a file. There is no fsync: a simulator need not
    /// survive a power cut, and a sync per posted commit would slow benchmarks down.
    public func save(_ state: TrackerState) throws {
        let data = try TrackerJSON.encoder.encode(state)
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary])
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    /// Reads a fixtures or state document (they share one format).
    public static func readState(at path: String) throws -> TrackerState {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TrackerStateError.unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            return try TrackerJSON.decoder.decode(TrackerState.self, from: data)
        } catch let error as TrackerStateError {
            throw error
        } catch {
            throw TrackerStateError.unreadable(path: path, reason: "\(error)")
        }
    }

    /// The state to start from: this file when it exists, else the fixtures (if any), else nothing.
    /// A state file replaces the fixtures entirely.
    public static func initialState(fixturesPath: String?, stateFile: StateFile?) throws -> TrackerState {
        if let stateFile, let saved = try stateFile.load() { return saved }
        if let fixturesPath { return try readState(at: fixturesPath) }
        return .empty
    }
}
