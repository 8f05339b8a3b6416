import Foundation
import GitKit
import GitTestSupport
import XCTest

/// Opening repositories: work trees, subdirectories, bare and shallow clones, linked worktrees,
/// the hook environment, and paths that are not repositories.
final class RepositoryDiscoveryTests: XCTestCase {
    private var sandbox: GitSandbox!

    override func setUpWithError() throws {
        sandbox = try GitSandbox()
    }

    override func tearDown() {
        sandbox = nil
    }

    func testWorkTreeRepository() throws {
        let repo = try sandbox.makeRepository("work")
        try sandbox.commit(in: repo, "first")
        let repository = try Repository.discover(at: repo)
        XCTAssertEqual(repository.gitDirectory, repo + "/.git")
        XCTAssertEqual(repository.commonDirectory, repo + "/.git")
        XCTAssertEqual(repository.workingDirectory, repo)
        XCTAssertFalse(repository.isBare)
        XCTAssertFalse(repository.isShallow)
        XCTAssertFalse(repository.isHeadUnborn)
    }

    func testDiscoverFromSubdirectoryWalksUp() throws {
        let repo = try sandbox.makeRepository("work")
        let head = try sandbox.commit(in: repo, "first")
        let nested = repo + "/src/deeply/nested"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        let repository = try Repository.discover(at: nested)
        XCTAssertEqual(repository.workingDirectory, repo)
        XCTAssertEqual(repository.gitDirectory, repo + "/.git")
        XCTAssertEqual(try repository.commit("HEAD").sha, head)
    }

    func testBareClone() throws {
        let source = try sandbox.makeRepository("source")
        try sandbox.commit(in: source, "one")
        try sandbox.commit(in: source, "two")
        let bare = sandbox.path("clone.git")
        try sandbox.git(in: sandbox.root.path, ["clone", "-q", "--bare", source, bare])
        let repository = try Repository.discover(at: bare)
        XCTAssertTrue(repository.isBare)
        XCTAssertNil(repository.workingDirectory)
        XCTAssertEqual(repository.gitDirectory, bare)
        XCTAssertEqual(try repository.revisionList(["main"]), try sandbox.revList(in: source, ["main"]))
    }

    func testShallowClone() throws {
        let source = try sandbox.makeRepository("source")
        try sandbox.commit(in: source, "one")
        try sandbox.commit(in: source, "two")
        let head = try sandbox.commit(in: source, "three")
        let shallow = sandbox.path("shallow")
        try sandbox.git(in: sandbox.root.path, ["clone", "-q", "--depth", "1", "file://" + source, shallow])
        let repository = try Repository.discover(at: shallow)
        XCTAssertTrue(repository.isShallow)
        XCTAssertFalse(try Repository.discover(at: source).isShallow)
        let tip = try repository.commit("HEAD")
        XCTAssertEqual(tip.sha, head)
        XCTAssertEqual(tip.parentCount, 1, "the parent id is recorded even though the parent is absent")
        // The walk stops at the clone's edge, as git's does (libgit2 1.5's own walker would reach
        // for the missing parent); ShallowCloneTests compares every entry point with git.
        XCTAssertEqual(try repository.revisionList(["HEAD"]), [head])
        XCTAssertEqual(repository.shallowCommits, [head])
        XCTAssertEqual(try Repository.discover(at: source).shallowCommits, [])
    }

    func testLinkedWorktree() throws {
        let repo = try sandbox.makeRepository("main-tree")
        try sandbox.commit(in: repo, "on main")
        let linked = sandbox.path("linked-tree")
        try sandbox.git(in: repo, ["worktree", "add", "-q", "-b", "topic", linked])
        let topicHead = try sandbox.commit(in: linked, "on topic")

        let repository = try Repository.discover(at: linked)
        XCTAssertEqual(repository.workingDirectory, linked)
        XCTAssertEqual(repository.gitDirectory, repo + "/.git/worktrees/linked-tree")
        XCTAssertEqual(repository.commonDirectory, repo + "/.git")
        XCTAssertFalse(repository.isBare)
        XCTAssertEqual(try repository.commit("HEAD").sha, topicHead)
        XCTAssertEqual(try repository.revisionList(["main..HEAD"]), [topicHead])
        XCTAssertEqual(try Repository.discover(at: repo).commit("HEAD").summary, "on main")
    }

    func testDiscoverFromEnvironmentHonoursGitDir() throws {
        let repo = try sandbox.makeRepository("hooked")
        let head = try sandbox.commit(in: repo, "first")
        let elsewhere = try sandbox.makeRepository("elsewhere")
        try sandbox.commit(in: elsewhere, "not this one")

        // The current directory is another repository: GIT_DIR must win, as it does for hooks.
        try withEnvironment(["GIT_DIR": repo + "/.git"], currentDirectory: elsewhere) {
            let repository = try Repository.discover(at: nil)
            XCTAssertEqual(repository.gitDirectory, repo + "/.git")
            XCTAssertEqual(try repository.commit("HEAD").sha, head)
        }
    }

    func testDiscoverFromEnvironmentUsesCurrentDirectory() throws {
        let repo = try sandbox.makeRepository("cwd")
        let head = try sandbox.commit(in: repo, "first")
        let nested = repo + "/sub"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        try withEnvironment(["GIT_DIR": nil], currentDirectory: nested) {
            let repository = try Repository.discover(at: nil)
            XCTAssertEqual(repository.workingDirectory, repo)
            XCTAssertEqual(try repository.commit("HEAD").sha, head)
        }
    }

    func testDiscoverFromEnvironmentHonoursCeilingDirectories() throws {
        let repo = try sandbox.makeRepository("ceiling")
        try sandbox.commit(in: repo, "first")
        let nested = repo + "/a/b"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        try withEnvironment(["GIT_DIR": nil, "GIT_CEILING_DIRECTORIES": repo + "/a"], currentDirectory: nested) {
            XCTAssertThrowsError(try Repository.discover(at: nil)) { error in
                XCTAssertEqual((error as? GitError)?.kind, .notARepository, "\(error)")
            }
        }
    }

    func testEmptyRepositoryHasUnbornHead() throws {
        let repo = try sandbox.makeRepository("empty")
        let repository = try Repository.discover(at: repo)
        XCTAssertTrue(repository.isHeadUnborn)
        XCTAssertThrowsError(try repository.walk(["HEAD"]) { _ in XCTFail("an empty repository has no commits") }) { error in
            XCTAssertEqual((error as? GitError)?.kind, .revisionNotFound, "\(error)")
            XCTAssertTrue((error as? GitError)?.errorDescription?.contains("'HEAD'") == true, "\(error)")
        }
        XCTAssertThrowsError(try repository.revisionList(["main"])) { error in
            XCTAssertEqual((error as? GitError)?.kind, .revisionNotFound, "\(error)")
        }
    }

    func testPathThatIsNotARepository() throws {
        let plain = sandbox.path("plain")
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        XCTAssertThrowsError(try Repository.discover(at: plain)) { error in
            guard let error = error as? GitError else { return XCTFail("not a GitError: \(error)") }
            XCTAssertEqual(error.kind, .notARepository)
            XCTAssertEqual(error.errorDescription, "not a git repository: \(plain)")
            XCTAssertLessThan(error.code, 0)
        }
    }

    func testMissingPathIsNotARepository() throws {
        let missing = sandbox.path("does/not/exist")
        XCTAssertThrowsError(try Repository.discover(at: missing)) { error in
            XCTAssertEqual((error as? GitError)?.kind, .notARepository, "\(error)")
        }
    }

    /// Runs `body` with environment variables set (nil: unset) and the current directory changed,
    /// restoring both afterwards.
    private func withEnvironment(
        _ variables: [String: String?],
        currentDirectory: String,
        _ body: () throws -> Void
    ) throws {
        let savedDirectory = FileManager.default.currentDirectoryPath
        var savedVariables: [String: String?] = [:]
        for (name, value) in variables {
            savedVariables[name] = ProcessInfo.processInfo.environment[name]
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
        defer {
            for (name, value) in savedVariables {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
            _ = FileManager.default.changeCurrentDirectoryPath(savedDirectory)
        }
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(currentDirectory))
        try body()
    }
}
