import Foundation
import TestSupport
import XCTest

/// `commitbridge replay --dry-run --json` on real repositories, checked line by line against `git rev-list`.
final class ReplayDryRunTests: XCTestCase {
    /// Decodes the JSON lines of a dry run.
    private func lines(_ result: ProcessResult, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        XCTAssertEqual(result.status, 0, "stderr: \(result.err)", file: file, line: line)
        return try result.outLines.map { text in
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            return try XCTUnwrap(object as? [String: Any], file: file, line: line)
        }
    }

    private func commits(_ objects: [[String: Any]]) -> [String] {
        objects.compactMap { $0["commit"] as? String }
    }

    /// The commits `git rev-list --reverse` lists for `range`, keeping those in `tagged`.
    private func expected(_ sandbox: GitSandbox, _ range: [String], tagged: Set<String>) throws -> [String] {
        try sandbox.git(["rev-list", "--reverse"] + range).split(separator: "\n").map(String.init).filter { tagged.contains($0) }
    }

    func testLinearHistoryMatchesRevList() throws {
        let repo = try GitSandbox()
        var tagged = Set<String>()
        for index in 1...12 {
            let message = index % 3 == 0 ? "Plain change \(index)" : "Change \(index) [Fixes #\(100 + index)]"
            let sha = try repo.commit(message)
            if index % 3 != 0 { tagged.insert(sha) }
        }
        try repo.git(["remote", "add", "origin", "git@github.com:acme/widgets.git"])
        for range in [["HEAD"], ["HEAD~5..HEAD"], ["^HEAD~8", "HEAD~2"], ["HEAD~4"]] {
            let result = try CommitBridgeBinary.run(["replay"] + range + ["--dry-run", "--json"], sandbox: repo)
            let objects = try lines(result)
            XCTAssertEqual(commits(objects), try expected(repo, range, tagged: tagged), "range \(range)")
        }
        let all = try lines(try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json"], sandbox: repo))
        let first = try XCTUnwrap(all.first)
        let sha = try XCTUnwrap(first["commit"] as? String)
        let payload = try XCTUnwrap((first["payload"] as? [String: Any])?["source_commit"] as? [String: Any])
        XCTAssertEqual(payload["commit_id"] as? String, sha)
        XCTAssertEqual(payload["author"] as? String, "Ada Lovelace")
        XCTAssertEqual(payload["message"] as? String, "Change 1 [Fixes #101]\n")
        XCTAssertEqual(payload["url"] as? String, "https://github.com/acme/widgets/commit/\(sha)")
        let references = try XCTUnwrap(first["references"] as? [[String: Any]])
        XCTAssertEqual(references.count, 1)
        XCTAssertEqual(references.first?["story"] as? Int, 101)
        XCTAssertEqual(references.first?["action"] as? String, "finish")
    }

    func testMergesSkippedUnlessAsked() throws {
        let repo = try GitSandbox()
        var tagged = Set<String>()
        tagged.insert(try repo.commit("base [#1]"))
        try repo.git(["checkout", "-q", "-b", "topic"])
        tagged.insert(try repo.commit("topic work [#2]", file: "topic.txt"))
        tagged.insert(try repo.commit("more topic [finishes #2]", file: "topic.txt"))
        try repo.git(["checkout", "-q", "main"])
        tagged.insert(try repo.commit("main work [#3]", file: "main.txt"))
        try repo.gitCommitting(["merge", "-q", "--no-ff", "-m", "Merge topic [#2]", "topic"])
        let merge = try repo.git(["rev-parse", "HEAD"])
        tagged.insert(try repo.commit("after [#4]"))

        let plain = try lines(try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json"], sandbox: repo))
        XCTAssertEqual(commits(plain), try expected(repo, ["HEAD"], tagged: tagged))
        XCTAssertFalse(commits(plain).contains(merge))

        tagged.insert(merge)
        let withMerges = try lines(try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json", "--merges"], sandbox: repo))
        XCTAssertEqual(commits(withMerges), try expected(repo, ["HEAD"], tagged: tagged))
        XCTAssertTrue(commits(withMerges).contains(merge))

        // Symmetric difference: the topic's and main's own commits since the fork.
        let symmetric = try lines(try CommitBridgeBinary.run(["replay", "main~2...topic", "--dry-run", "--json"], sandbox: repo))
        XCTAssertEqual(commits(symmetric), try expected(repo, ["main~2...topic"], tagged: tagged))
        XCTAssertEqual(commits(symmetric).count, 3)
    }

    func testOrphanBranchAndBareClone() throws {
        let repo = try GitSandbox()
        var tagged = Set<String>()
        tagged.insert(try repo.commit("main one [#10]"))
        try repo.git(["checkout", "-q", "--orphan", "pages"])
        tagged.insert(try repo.commit("orphan root [#20 delivers]", file: "page.txt"))
        tagged.insert(try repo.commit("orphan two [#21]", file: "page.txt"))
        let orphan = try lines(try CommitBridgeBinary.run(["replay", "pages", "--dry-run", "--json"], sandbox: repo))
        XCTAssertEqual(commits(orphan), try expected(repo, ["pages"], tagged: tagged))
        XCTAssertEqual(commits(orphan).count, 2)

        let bare = repo.root + "/bare.git"
        try repo.git(["clone", "-q", "--bare", repo.path, bare], in: repo.root)
        let fromBare = try lines(try CommitBridgeBinary.run(["replay", "main", "pages", "--dry-run", "--json"], in: bare, sandbox: repo))
        XCTAssertEqual(commits(fromBare), try expected(repo, ["main", "pages"], tagged: tagged))
        XCTAssertEqual(commits(fromBare).count, 3)
        // With GIT_DIR, as git sets it for hooks.
        let viaEnv = try CommitBridgeBinary.run(["replay", "main", "--dry-run", "--json"], in: repo.root, sandbox: repo,
                                                environment: ["GIT_DIR": bare])
        XCTAssertEqual(commits(try lines(viaEnv)).count, 1)
    }

    func testLatin1MessageIsConvertedToUTF8() throws {
        let repo = try GitSandbox()
        var bytes = Array("Caf".utf8)
        bytes.append(0xE9) // é in ISO-8859-1
        bytes.append(contentsOf: Array(" [#5] na".utf8))
        bytes.append(0xEF) // ï
        bytes.append(contentsOf: Array("ve\n".utf8))
        let file = try repo.writeFile("latin1.txt", Data(bytes))
        try "x".write(toFile: repo.path + "/a.txt", atomically: true, encoding: .utf8)
        try repo.git(["add", "a.txt"])
        try repo.gitCommitting(["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", file])
        let objects = try lines(try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json"], sandbox: repo))
        let payload = try XCTUnwrap((objects.first?["payload"] as? [String: Any])?["source_commit"] as? [String: Any])
        XCTAssertEqual(payload["message"] as? String, "Café [#5] naïve\n")
    }

    func testFiftyKilobyteMessageIsShortenedKeepingTags() throws {
        let repo = try GitSandbox()
        var message = "Big change [Finishes #900]\n\n"
        while message.utf8.count < 50_000 { message += "A line of explanation that goes on for a while.\n" }
        message += "[#901 delivers]\n"
        try repo.commit(message)
        let objects = try lines(try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json"], sandbox: repo))
        XCTAssertEqual(objects.count, 1)
        let payload = try XCTUnwrap((objects[0]["payload"] as? [String: Any])?["source_commit"] as? [String: Any])
        let posted = try XCTUnwrap(payload["message"] as? String)
        XCTAssertLessThanOrEqual(posted.unicodeScalars.count, 20_000)
        XCTAssertTrue(posted.contains("[Finishes #900]"))
        XCTAssertTrue(posted.contains("[#901 delivers]"))
        let references = try XCTUnwrap(objects[0]["references"] as? [[String: Any]])
        XCTAssertEqual(references.compactMap { $0["story"] as? Int }, [900, 901])
    }

    func testHumanListingAndSummary() throws {
        let repo = try GitSandbox()
        let sha = try repo.commit("Login page [#123 delivers]")
        try repo.commit("untagged")
        try repo.commit("Typo [finsihes #7]")
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run"], sandbox: repo)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("\(sha.prefix(7)) Login page [#123 delivers]"))
        XCTAssertTrue(result.out.contains("#123 deliver"))
        XCTAssertTrue(result.err.contains("scanned 3 commits: 2 tagged, 1 untagged"), result.err)
        XCTAssertTrue(result.err.contains("finishes"), result.err)
    }

    func testRevertDropsVerbsInDryRun() throws {
        let repo = try GitSandbox()
        let original = try repo.commit("Ship it [Delivers #55]")
        try repo.gitCommitting(["revert", "--no-edit", original])
        let objects = try lines(try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--json"], sandbox: repo))
        XCTAssertEqual(objects.count, 2)
        let revert = objects[1]
        let payload = try XCTUnwrap((revert["payload"] as? [String: Any])?["source_commit"] as? [String: Any])
        XCTAssertTrue((payload["message"] as? String ?? "").hasPrefix("Revert \"Ship it [#55]\""), "\(payload)")
        let references = try XCTUnwrap(revert["references"] as? [[String: Any]])
        XCTAssertEqual(references.first?["action"] as? String, "mention")
    }
}
