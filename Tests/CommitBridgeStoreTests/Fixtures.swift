import CommitBridgeCore
import Foundation

/// Values the store tests build over and over.
enum Fixtures {
    /// A queued commit whose body names its sha, so a replaced body would show.
    static func commit(_ sha: String, stories: [Int64] = [1], at time: Double = 1_000) -> QueuedCommit {
        QueuedCommit(sha: sha, stories: stories, body: #"{"commit_id":"\#(sha)"}"#, enqueuedAt: time)
    }

    /// A Tracker story record.
    static func story(_ id: Int64, state: StoryState = .started, name: String = "Login page") -> StoryRecord {
        StoryRecord(id: id, projectID: 99, type: .feature, state: state, name: name,
                    url: "https://tracker.example/story/show/\(id)")
    }

    /// The permission bits of a file or directory.
    static func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard let number = attributes[.posixPermissions] as? NSNumber else {
            throw FixtureError("no permissions for \(path)")
        }
        return number.intValue & 0o777
    }
}
