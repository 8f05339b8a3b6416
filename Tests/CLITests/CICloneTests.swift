import Foundation
import TestSupport
import XCTest

/// `commitbridge ci` in clones made the way CI services make them: a bare "server" repository with
/// a few hundred commits, shallow clones over `file://` (`--depth 1` as actions/checkout, `--depth 20`
/// as GitLab), pushes of new commits, new branches and force-pushes, against tracker-sim.
final class CICloneTests: XCTestCase {
    private let token = "sim-token-0123456789"

    /// The server (bare), a developer's clone that pushes to it, and tracker-sim with stories 1…60.
    private struct World {
        let sandbox: GitSandbox
        let server: String
        let developer: String
        let sim: TrackerSimProcess

        /// Commits in the developer's clone, one a story from `stories`, and pushes them; returns their ids.
        @discardableResult
        func push(_ stories: [Int64], branch: String = "main", untagged: Int = 0, force: Bool = false) throws -> [String] {
            var shas: [String] = []
            for index in 0..<untagged { try sandbox.commit("filler \(index)", in: developer) }
            for story in stories { shas.append(try sandbox.commit("work on \(story) [#\(story)]", in: developer)) }
            try sandbox.git(["push", "-q"] + (force ? ["--force"] : []) + ["origin", "HEAD:refs/heads/\(branch)"], in: developer)
            return shas
        }

        /// A clone of the server as a CI service makes it: `depth` commits of `branch`.
        func ciClone(depth: Int, branch: String = "main", name: String) throws -> String {
            let path = sandbox.root + "/" + name
            try sandbox.git(["clone", "-q", "--depth", "\(depth)", "--branch", branch, "file://" + server, path], in: sandbox.root)
            return path
        }

        func head(_ directory: String) throws -> String { try sandbox.git(["rev-parse", "HEAD"], in: directory) }
    }

    /// A server with `history` untagged commits on main, and a developer's clone of it.
    private func world(history: Int = 300) throws -> World {
        let sandbox = try GitSandbox(bare: true, name: "server.git")
        let developer = sandbox.root + "/developer"
        try sandbox.git(["clone", "-q", "file://" + sandbox.path, developer], in: sandbox.root)
        // A few hundred commits, quickly: one fast-import stream.
        var stream = ""
        for index in 0..<history {
            stream += "commit refs/heads/main\nmark :\(index + 1)\ncommitter Ada <ada@example.com> \(1_700_000_000 + index * 60) +0000\n"
            stream += "data \("old \(index)".utf8.count)\nold \(index)\n"
            if index > 0 { stream += "from :\(index)\n" }
            stream += "M 644 inline file.txt\ndata \("\(index)".utf8.count)\n\(index)\n\n"
        }
        try sandbox.git(["fast-import", "--quiet"], in: developer, stdin: Data(stream.utf8))
        try sandbox.git(["reset", "-q", "--hard", "main"], in: developer)
        try sandbox.git(["push", "-q", "origin", "main"], in: developer)
        let stories = (1...60).map { #"{"id":\#($0),"project_id":4,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        let sim = try TrackerSimProcess(fixtures: #"{"projects":[{"id":4,"name":"CI"}],"stories":[\#(stories.joined(separator: ","))]}"#,
                                        token: token, directory: sandbox.root)
        return World(sandbox: sandbox, server: sandbox.path, developer: developer, sim: sim)
    }

    private func gitHub(_ world: World, before: String, after: String, branch: String = "main", created: Bool = false,
                        forced: Bool = false) throws -> [String: String] {
        let event = try world.sandbox.writeFile("event-\(UUID().uuidString.prefix(6)).json", Data(
            #"{"ref":"refs/heads/\#(branch)","before":"\#(before)","after":"\#(after)","created":\#(created),"deleted":false,"forced":\#(forced)}"#.utf8))
        return ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": event, "GITHUB_REF_NAME": branch]
    }

    private func ci(_ world: World, in clone: String, _ env: [String: String], _ extra: [String] = []) throws -> ProcessResult {
        var environment = env
        environment["TRACKER_TOKEN"] = token
        return try CommitBridgeBinary.run(["ci", "--tracker-url", world.sim.apiURL, "-C", clone] + extra, sandbox: world.sandbox,
                                          environment: environment)
    }

    /// Every story's comments: story → the commits they carry.
    private func posted(_ world: World, _ stories: ClosedRange<Int64>) throws -> [Int64: [String]] {
        var result: [Int64: [String]] = [:]
        for story in stories {
            let identifiers = try world.sim.commitIdentifiers(project: 4, story: story)
            if !identifiers.isEmpty { result[story] = identifiers }
        }
        return result
    }

    func testDepthOneGitHubCloneAfterPushesOfOneFiveAndFiftyCommitsPostsExactlyThem() throws {
        let world = try world()
        var expected: [Int64: [String]] = [:]
        var story: Int64 = 1
        for (index, size) in [1, 5, 50].enumerated() {
            let before = try world.head(world.developer)
            let stories = Array(story..<(story + Int64(size)))
            story += Int64(size)
            let shas = try world.push(stories, untagged: 3)
            for (id, sha) in zip(stories, shas) { expected[id] = [sha] }
            let clone = try world.ciClone(depth: 1, name: "checkout-\(index)")
            let result = try ci(world, in: clone, try gitHub(world, before: before, after: shas.last!))
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertTrue(result.err.contains("deepened the shallow clone by"), result.err)
            XCTAssertEqual(try posted(world, 1...60), expected, "push of \(size): exactly the pushed tagged commits, once")
        }
        XCTAssertEqual(try world.sim.stats()["duplicate_comments"], 0)
        XCTAssertEqual(try world.sim.stats()["source_commits"], 56)
    }

    func testDepthTwentyGitLabCloneAfterAPushOfFiftyCommits() throws {
        let world = try world()
        let before = try world.head(world.developer)
        let shas = try world.push(Array(1...50), untagged: 10)
        let clone = try world.ciClone(depth: 20, name: "gitlab")
        let env = ["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BEFORE_SHA": before, "CI_COMMIT_SHA": shas.last!,
                   "CI_COMMIT_BRANCH": "main"]
        let result = try ci(world, in: clone, env)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try posted(world, 1...60), Dictionary(uniqueKeysWithValues: zip(Int64(1)...50, shas.map { [$0] })))
        XCTAssertEqual(try world.sim.stats()["source_commits"], 50)
    }

    func testDeepeningCappedTooLowSaysWhatItLeftOut() throws {
        let world = try world()
        let before = try world.head(world.developer)
        let shas = try world.push(Array(1...5), untagged: 20)
        let clone = try world.ciClone(depth: 1, name: "capped")
        let result = try ci(world, in: clone, try gitHub(world, before: before, after: shas.last!), ["--deepen", "3"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("was not found within 3 commits"), result.err)
        XCTAssertTrue(result.err.contains("raise commitbridge.deepen"), result.err)
        // The four the clone holds (depth 1 + 3) are the last four pushed: posted, and no older commit.
        XCTAssertEqual(try posted(world, 1...60), Dictionary(uniqueKeysWithValues: zip(Int64(2)...5, shas.dropFirst().map { [$0] })))
    }

    func testANewBranchPostsOnlyTheCommitsNoOtherRemoteBranchHolds() throws {
        let world = try world(history: 40)
        let mainShas = try world.push([1, 2])
        try world.sandbox.git(["checkout", "-q", "-b", "topic"], in: world.developer)
        let topicShas = try world.push([3, 4], branch: "topic")
        // A full clone, as GitLab makes it with GIT_DEPTH 0, holding every remote branch.
        let clone = world.sandbox.root + "/full"
        try world.sandbox.git(["clone", "-q", "file://" + world.server, clone], in: world.sandbox.root)
        try world.sandbox.git(["checkout", "-q", "topic"], in: clone)
        let env = try gitHub(world, before: String(repeating: "0", count: 40), after: topicShas.last!, branch: "topic", created: true)
        let result = try ci(world, in: clone, env)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try posted(world, 1...60), [3: [topicShas[0]], 4: [topicShas[1]]], "main's commits are not news: \(mainShas)")
    }

    func testAForcePushPostsTheNewTipsOwnCommits() throws {
        let world = try world(history: 40)
        try world.push([1])
        let base = try world.head(world.developer)
        let old = try world.push([2])
        try world.sandbox.git(["reset", "-q", "--hard", base], in: world.developer)
        let new = try world.push([3], force: true)
        let clone = try world.ciClone(depth: 1, name: "forced")
        let result = try ci(world, in: clone, try gitHub(world, before: old.last!, after: new.last!, forced: true))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try posted(world, 1...60), [3: [new[0]]])
    }

    func testDryRunOfflineJSONPostsNothingAndNeedsNoToken() throws {
        let world = try world(history: 40)
        let before = try world.head(world.developer)
        let shas = try world.push([7, 8])
        let clone = try world.ciClone(depth: 1, name: "dry")
        let env = try gitHub(world, before: before, after: shas.last!)
        let result = try CommitBridgeBinary.run(["ci", "-C", clone, "--dry-run", "--offline", "--json"], sandbox: world.sandbox,
                                                environment: env)
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.outLines
        XCTAssertEqual(lines.count, 2, result.out)
        XCTAssertTrue(lines[0].contains(shas[0]) && lines[1].contains(shas[1]), result.out)
        XCTAssertEqual(try world.sim.stats()["source_commits"], 0)
        let refused = try CommitBridgeBinary.run(["ci", "-C", clone, "--offline"], sandbox: world.sandbox, environment: env)
        XCTAssertEqual(refused.status, 2, refused.err)
    }

    func testOnGitHubWarningsAreAnnotationsAndTheRunWritesAStepSummary() throws {
        let world = try world()
        let before = try world.head(world.developer)
        let shas = try world.push([1, 2], untagged: 10)
        let clone = try world.ciClone(depth: 1, name: "summary")
        let summary = world.sandbox.root + "/step-summary.md"
        FileManager.default.createFile(atPath: summary, contents: Data("earlier step\n".utf8))
        var env = try gitHub(world, before: before, after: shas.last!)
        env["GITHUB_STEP_SUMMARY"] = summary
        let result = try ci(world, in: clone, env, ["--deepen", "2"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("::warning::the previous tip"), result.err)
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("earlier step\n"), text)
        XCTAssertTrue(text.contains("| posted | 2 |"), text)
        XCTAssertTrue(text.contains("| shallow clone deepened by | 2 commits |"), text)
        XCTAssertFalse(text.contains(token), text)
    }

    func testARepositoryOfAnotherUserGetsTheSafeDirectoryAdvice() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to give the repository to another user") }
        let repo = try GitSandbox()
        try repo.commit("x [#1]")
        let chown = try ProcessRunner.run("/bin/chown", ["-R", "nobody", repo.path])
        XCTAssertEqual(chown.status, 0, chown.err)
        let refused = try CommitBridgeBinary.run(["ci", "--range", "HEAD", "--dry-run", "--offline"], sandbox: repo)
        XCTAssertEqual(refused.status, 2, refused.err)
        XCTAssertFalse(refused.err.contains("not a git repository"), refused.err)
        XCTAssertTrue(refused.err.contains("git config --global --add safe.directory \(repo.path)"), refused.err)
        XCTAssertEqual(refused.err.split(separator: "\n").count, 1, refused.err)
        try repo.git(["config", "--global", "--add", "safe.directory", repo.path], in: repo.root)
        let allowed = try CommitBridgeBinary.run(["ci", "--range", "HEAD", "--dry-run", "--offline"], sandbox: repo)
        XCTAssertEqual(allowed.status, 0, allowed.err)
    }
}
