import Foundation
import TestSupport
import XCTest

/// A linear history of tagged commits made with `git fast-import`, the fixtures for its stories,
/// and the check that each commit reached Tracker exactly once.
struct TaggedHistory {
    /// The project every story belongs to.
    static let project: Int64 = 7

    /// Each commit, oldest first, with the story it references.
    let commits: [(sha: String, story: Int64)]

    /// Makes `count` commits on `main` in `repo`, commit `i` referencing story
    /// `stories.lowerBound + i % stories.count` (every third one with `Fixes`).
    init(_ repo: GitSandbox, count: Int, stories: ClosedRange<Int64>, startingAt first: Int = 0) throws {
        var stream = ""
        var storyOf: [Int64] = []
        let hasHistory = (try? repo.git(["rev-parse", "--verify", "-q", "main"])) != nil
        for index in first..<(first + count) {
            let story = stories.lowerBound + Int64(index) % Int64(stories.count)
            storyOf.append(story)
            let message = "Change \(index) [\(index % 3 == 0 ? "Fixes " : "")#\(story)]\n"
            let when = 1_700_000_000 + index * 60
            stream += "commit refs/heads/main\nmark :\(index + 1)\n"
            stream += "author Dev <dev@example.com> \(when) +0000\ncommitter Dev <dev@example.com> \(when) +0000\n"
            stream += "data \(message.utf8.count)\n\(message)\n"
            if index > first {
                stream += "from :\(index)\n"
            } else if hasHistory {
                stream += "from refs/heads/main^0\n"
            }
            stream += "M 644 inline f.txt\ndata \(String(index).utf8.count + 1)\n\(index)\n\n"
        }
        try repo.git(["fast-import", "--quiet"], stdin: Data(stream.utf8))
        try repo.git(["reset", "-q", "--hard", "main"])
        let shas = try repo.git(["rev-list", "--reverse", "HEAD"]).split(separator: "\n").map(String.init)
        commits = Array(zip(shas.suffix(count), storyOf)).map { (sha: $0.0, story: $0.1) }
    }

    private init(commits: [(sha: String, story: Int64)]) {
        self.commits = commits
    }

    /// This history with more commits (made some other way) after it.
    func adding(_ more: [(sha: String, story: Int64)]) -> TaggedHistory {
        TaggedHistory(commits: commits + more)
    }

    /// Fixtures holding `stories` as unstarted features of ``project``.
    static func fixtures(stories: ClosedRange<Int64>) -> String {
        let list = stories.map { #"{"id":\#($0),"project_id":\#(project),"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        return #"{"projects":[{"id":\#(project),"name":"History"}],"stories":[\#(list.joined(separator: ","))]}"#
    }

    /// Fails unless every commit has exactly one comment on its story and the simulator counted
    /// no duplicate comment.
    func assertEachDeliveredOnce(to sim: TrackerSimProcess, file: StaticString = #filePath, line: UInt = #line) throws {
        let stories = try sim.storiesByID()
        var byStory: [Int64: [String]] = [:]
        for story in Set(commits.map(\.story)) {
            let comments = stories[story]?["comments"] as? [[String: Any]] ?? []
            byStory[story] = comments.compactMap { $0["commit_identifier"] as? String }
        }
        for (sha, story) in commits {
            let count = byStory[story]?.filter { $0 == sha }.count ?? 0
            XCTAssertEqual(count, 1, "commit \(sha.prefix(7)) on story \(story)", file: file, line: line)
        }
        XCTAssertEqual(try sim.stats()["duplicate_comments"], 0, file: file, line: line)
    }
}
