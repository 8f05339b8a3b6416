import GitKit
import GitTestSupport
import XCTest

/// Remote URLs and configuration values read through the repository's config snapshot.
final class ConfigurationAndRemoteTests: XCTestCase {
    private var sandbox: GitSandbox!
    private var repo: String!

    override func setUpWithError() throws {
        sandbox = try GitSandbox()
        repo = try sandbox.makeRepository("configured")
        try sandbox.commit(in: repo, "first")
    }

    override func tearDown() {
        sandbox = nil
    }

    func testRemoteURL() throws {
        try sandbox.git(in: repo, ["remote", "add", "origin", "git@github.com:o/r.git"])
        let repository = try Repository.discover(at: repo)
        XCTAssertEqual(try repository.remoteURL(named: "origin"), "git@github.com:o/r.git")
        XCTAssertNil(try repository.remoteURL(named: "upstream"))
    }

    func testRemoteURLIsReturnedAsConfiguredWithoutInsteadOfRewriting() throws {
        try sandbox.git(in: repo, ["remote", "add", "origin", "git@github.com:o/r.git"])
        try sandbox.git(in: repo, ["config", "url.https://mirror.example.com/.insteadOf", "git@github.com:"])
        XCTAssertEqual(try sandbox.git(in: repo, ["remote", "get-url", "origin"]), "https://mirror.example.com/o/r.git")
        XCTAssertEqual(try Repository.discover(at: repo).remoteURL(named: "origin"), "git@github.com:o/r.git")
    }

    func testInvalidRemoteNameIsNoSuchRemote() throws {
        XCTAssertNil(try Repository.discover(at: repo).remoteURL(named: "not a valid name"))
    }

    func testNoRemotesAtAll() throws {
        XCTAssertNil(try Repository.discover(at: repo).remoteURL(named: "origin"))
    }

    func testConfigStringFromRepositoryLevel() throws {
        try sandbox.git(in: repo, ["config", "commitbridge.trackerUrl", "https://tracker.example.com/x"])
        let repository = try Repository.discover(at: repo)
        XCTAssertEqual(try repository.configString("commitbridge.trackerUrl"), "https://tracker.example.com/x")
        // Section and variable names are case-insensitive, as in git.
        XCTAssertEqual(try repository.configString("CommitBridge.trackerurl"), "https://tracker.example.com/x")
        XCTAssertNil(try repository.configString("commitbridge.missing"))
    }

    func testConfigStringsReturnsEveryValueInOrder() throws {
        try sandbox.git(in: repo, ["config", "--add", "commitbridge.branches", "main"])
        try sandbox.git(in: repo, ["config", "--add", "commitbridge.branches", "release/*"])
        let repository = try Repository.discover(at: repo)
        XCTAssertEqual(try repository.configStrings("commitbridge.branches"), ["main", "release/*"])
        XCTAssertEqual(try repository.configStrings("commitbridge.nothing"), [])
        // A single-valued lookup of a multivar gives the last value, like `git config --get`.
        XCTAssertEqual(try repository.configString("commitbridge.branches"), "release/*")
    }

    func testConfigChangesAreSeenByLaterCalls() throws {
        let repository = try Repository.discover(at: repo)
        XCTAssertNil(try repository.configString("commitbridge.trackerUrl"))
        try sandbox.git(in: repo, ["config", "commitbridge.trackerUrl", "later"])
        XCTAssertEqual(try repository.configString("commitbridge.trackerUrl"), "later")
    }

    func testInvalidKeyIsAnError() throws {
        XCTAssertThrowsError(try Repository.discover(at: repo).configString("no-section")) { error in
            XCTAssertEqual((error as? GitError)?.kind, .other, "\(error)")
        }
    }
}
