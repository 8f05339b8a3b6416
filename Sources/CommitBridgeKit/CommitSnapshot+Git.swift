import CommitBridgeCore
import GitKit

extension CommitSnapshot {
    /// The core's view of a commit read by GitKit.
    init(_ commit: Commit) {
        self.init(sha: commit.sha, message: commit.message, authorName: commit.authorName,
                  authorEmail: commit.authorEmail, parentCount: commit.parentCount)
    }
}
