import CommitBridgeCore
@testable import CommitBridgeServices
import Foundation
import GitKit
import TestSupport
import XCTest

final class ConfigurationLoaderTests: XCTestCase {
    private func repository() throws -> (GitSandbox, Repository) {
        let sandbox = try GitSandbox()
        try sandbox.commit("first [#1]")
        return (sandbox, try Repository.discover(at: sandbox.path))
    }

    func testDefaults() throws {
        let (_, repo) = try repository()
        let config = try ConfigurationLoader(environment: [:]).load(ConfigurationInputs(), repository: repo)
        XCTAssertEqual(config.tracker.value.baseURL, Configuration.defaultTrackerURL)
        XCTAssertEqual(config.tracker.source, .defaultValue)
        XCTAssertNil(config.token)
        XCTAssertNil(config.commitURLTemplate)
        XCTAssertEqual(config.stateDirectory.value, repo.gitDirectory + "/commitbridge")
        XCTAssertEqual(config.branches.value, [])
    }

    func testTrackerURLAndTokenPrecedence() throws {
        let (sandbox, repo) = try repository()
        try sandbox.git(["config", "commitbridge.trackerUrl", "https://git-config.example/v5"])
        try sandbox.git(["config", "commitbridge.token", "from-git-config"])
        let loader = ConfigurationLoader(environment: [:])
        var config = try loader.load(ConfigurationInputs(), repository: repo)
        XCTAssertEqual(config.tracker.value.baseURL, "https://git-config.example/v5")
        XCTAssertEqual(config.tracker.source, .gitConfig)
        XCTAssertEqual(config.token?.value.revealedForRequest, "from-git-config")

        let env = ["TRACKER_URL": "https://env.example/v5", "TRACKER_TOKEN": "from-env"]
        config = try ConfigurationLoader(environment: env).load(ConfigurationInputs(), repository: repo)
        XCTAssertEqual(config.tracker.value.baseURL, "https://env.example/v5")
        XCTAssertEqual(config.token?.source, .environment)
        XCTAssertEqual(config.token?.value.revealedForRequest, "from-env")

        let tokenFile = try sandbox.writeFile("token", Data("from-file\n".utf8))
        config = try ConfigurationLoader(environment: env).load(
            ConfigurationInputs(trackerURL: "https://flag.example/v5", tokenFile: tokenFile), repository: repo)
        XCTAssertEqual(config.tracker.value.baseURL, "https://flag.example/v5")
        XCTAssertEqual(config.tracker.source, .flag)
        XCTAssertEqual(config.token?.value.revealedForRequest, "from-file")
    }

    func testBadValuesAreConfigurationErrors() throws {
        let (sandbox, repo) = try repository()
        let loader = ConfigurationLoader(environment: [:])
        XCTAssertThrowsError(try loader.load(ConfigurationInputs(trackerURL: "tracker.example.com"), repository: repo)) { error in
            XCTAssertEqual(errorKind(error), "configuration")
        }
        XCTAssertThrowsError(try loader.load(ConfigurationInputs(tokenFile: sandbox.root + "/missing"), repository: repo)) { error in
            XCTAssertEqual(errorKind(error), "configuration")
        }
        let empty = try sandbox.writeFile("empty-token", Data("\n".utf8))
        XCTAssertThrowsError(try loader.load(ConfigurationInputs(tokenFile: empty), repository: repo))
    }

    func testATokenWithAControlCharacterIsRefusedNamingItsSourceOnly() throws {
        let (sandbox, repo) = try repository()
        let secret = "ctl-token-3b9e71"
        let tokenFile = try sandbox.writeFile("two-lines", Data("\(secret)\nsecond-line\n".utf8))
        let cases: [(ConfigurationLoader, ConfigurationInputs, String)] = [
            (ConfigurationLoader(environment: [:]), ConfigurationInputs(tokenFile: tokenFile), "token file '\(tokenFile)'"),
            (ConfigurationLoader(environment: ["TRACKER_TOKEN": "\(secret)\u{7F}x"]), ConfigurationInputs(), "the TRACKER_TOKEN variable"),
        ]
        for (loader, inputs, origin) in cases {
            XCTAssertThrowsError(try loader.load(inputs, repository: repo)) { error in
                let failure = error as? CommitBridgeError
                XCTAssertEqual(errorKind(error), "configuration")
                let text = failure?.localizedDescription ?? ""
                XCTAssertTrue(text.contains(origin), text)
                XCTAssertTrue(text.contains("control character"), text)
                XCTAssertFalse(text.contains(secret), text)
            }
        }
        try sandbox.git(["config", "commitbridge.token", "\(secret)\tx"])
        XCTAssertThrowsError(try ConfigurationLoader(environment: [:]).load(ConfigurationInputs(), repository: repo)) { error in
            let text = (error as? CommitBridgeError)?.localizedDescription ?? ""
            XCTAssertTrue(text.contains("git config commitbridge.token"), text)
            XCTAssertFalse(text.contains(secret), text)
        }
        // An empty TRACKER_TOKEN still counts as unset: git config's token is the one read (and refused).
        XCTAssertThrowsError(try ConfigurationLoader(environment: ["TRACKER_TOKEN": " "]).load(ConfigurationInputs(), repository: repo)) { error in
            XCTAssertTrue(((error as? CommitBridgeError)?.localizedDescription ?? "").contains("git config commitbridge.token"))
        }
    }

    func testBranchesFromGitConfigList() throws {
        let (sandbox, repo) = try repository()
        try sandbox.git(["config", "--add", "commitbridge.branches", "main"])
        try sandbox.git(["config", "--add", "commitbridge.branches", "release/*, hotfix/*"])
        let config = try ConfigurationLoader(environment: [:]).load(ConfigurationInputs(), repository: repo)
        XCTAssertEqual(config.branches.value, ["main", "release/*", "hotfix/*"])
        let flagged = try ConfigurationLoader(environment: [:]).load(ConfigurationInputs(branches: ["dev"]), repository: repo)
        XCTAssertEqual(flagged.branches.value, ["dev"])
    }
}
