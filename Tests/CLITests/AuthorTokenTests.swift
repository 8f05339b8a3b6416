import Foundation
import TestSupport
import XCTest

/// Each commit posted in its author's name: authors' own tokens from git config and from a token
/// file, against tracker-sim's people (`--token NAME=TOKEN`), which records each comment's person.
final class AuthorTokenTests: XCTestCase {
    private let shared = "sim-token-0123456789"
    private let adaToken = "ada-token-1111111111"
    private let bobToken = "bob-token-2222222222"

    private func commit(_ repo: GitSandbox, _ message: String, email: String, file: String) throws -> String {
        try repo.commit(message, file: file, author: email.components(separatedBy: "@")[0])
        // Re-author the commit: GitSandbox fixes the e-mail address for every commit.
        _ = try repo.git(["commit", "-q", "--amend", "--no-edit", "--reset-author"],
                         extraEnvironment: ["GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email])
        return try repo.git(["rev-parse", "HEAD"])
    }

    /// Two authors with their own tokens (one in git config, one in a token file) and one without:
    /// each comment carries the right person, and no token reaches any output.
    func testEachCommitIsPostedWithItsAuthorsToken() throws {
        let repo = try GitSandbox()
        let sim = try TrackerSimProcess(
            fixtures: #"{"projects":[{"id":5,"name":"People"}],"stories":[{"id":1,"project_id":5,"story_type":"feature","current_state":"unstarted","name":"S1"}]}"#,
            token: shared, directory: repo.root, arguments: ["--token", "Ada Lovelace=\(adaToken)", "--token", "Bob Babbage=\(bobToken)"])
        try repo.git(["config", "commitbridge.trackerUrl", sim.apiURL])
        try repo.git(["config", "commitbridge.token", shared])
        try repo.git(["config", "commitbridge.token.ada@example.com", adaToken])
        let file = try repo.writeFile("authors", Data("# who posts as whom\nBob@Example.com \(bobToken)\n".utf8))
        chmod(file, 0o600)
        try repo.git(["config", "commitbridge.authorTokens", file])

        let ada = try commit(repo, "[#1] by Ada", email: "ada@example.com", file: "a.txt")
        let bob = try commit(repo, "[#1] by Bob", email: "bob@example.com", file: "b.txt")
        let carol = try commit(repo, "[#1] by Carol", email: "carol@example.com", file: "c.txt")

        let replay = try CommitBridgeBinary.run(["replay", "HEAD"], sandbox: repo)
        XCTAssertEqual(replay.status, 0, replay.err)
        let comments = try XCTUnwrap(sim.getJSON("/__sim/comments") as? [[String: Any]])
        var people: [String: Int64] = [:]
        for comment in comments {
            if let sha = comment["commit_identifier"] as? String, let person = comment["person_id"] as? NSNumber { people[sha] = person.int64Value }
        }
        XCTAssertEqual(people, [ada: 102, bob: 103, carol: 101])

        let doctor = try CommitBridgeBinary.run(["doctor"], sandbox: repo)
        XCTAssertTrue(doctor.out.contains("author ada@example.com has a token of their own (from git config); it belongs to Ada Lovelace"), doctor.out)
        XCTAssertTrue(doctor.out.contains("author bob@example.com has a token of their own (from git config); it belongs to Bob Babbage"), doctor.out)
        for output in [replay.out, replay.err, doctor.out, doctor.err] {
            for token in [shared, adaToken, bobToken] { XCTAssertFalse(output.contains(token), output) }
        }
    }

    /// A token file others can read is refused, with the fix, and nothing is posted; a line that is
    /// not `<email> <token>` is refused without showing the token.
    func testAnAuthorTokenFileOthersCanReadIsRefused() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.trackerUrl", "http://127.0.0.1:9/services/v5"])
        try repo.git(["config", "commitbridge.token", shared])
        let file = try repo.writeFile("authors", Data("ada@example.com \(adaToken)\n".utf8))
        chmod(file, 0o644)
        try repo.git(["config", "commitbridge.authorTokens", file])
        try repo.commit("[#1] work")
        let refused = try CommitBridgeBinary.run(["replay", "HEAD"], sandbox: repo)
        XCTAssertEqual(refused.status, 2, refused.err)
        XCTAssertTrue(refused.err.contains("can be read by others (mode 644)") && refused.err.contains("chmod 600 \(file)"), refused.err)
        XCTAssertFalse(refused.err.contains(adaToken))

        try Data("ada@example.com \(adaToken) extra\n".utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o600)
        let malformed = try CommitBridgeBinary.run(["replay", "HEAD"], sandbox: repo)
        XCTAssertEqual(malformed.status, 2, malformed.err)
        XCTAssertTrue(malformed.err.contains("line 1 of the author token file"), malformed.err)
        XCTAssertFalse(malformed.err.contains(adaToken), malformed.err)
    }
}
