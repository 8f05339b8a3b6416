/// A Tracker project the simulator knows about. Stories point at it through `project_id`.
public struct SimulatedProject: Codable, Sendable, Hashable {
    /// The project id.
    public let id: Int64
    /// The project's display name.
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
