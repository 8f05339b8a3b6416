import Foundation
import TestSupport
import XCTest

/// One command-line grammar for the three programs: `-C` before or after the subcommand,
/// `--version` and `--help`, one-line usage errors, `--quiet` and `--verbose`, a progress line on a
/// terminal only, and repeated failures told once.
final class CommandLineGrammarTests: XCTestCase {
    private let token = "sim-token-0123456789"

    private func fixtures(_ stories: ClosedRange<Int64>) -> String {
        let list = stories.map { #"{"id":\#($0),"project_id":6,"story_type":"feature","current_state":"unstarted","name":"S\#($0)"}"# }
        return #"{"projects":[{"id":6,"name":"Grammar"}],"stories":[\#(list.joined(separator: ","))]}"#
    }

    func testDashCBeforeOrAfterTheSubcommand() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        // Run from the sandbox's root, which is no repository: only -C leads to it.
        let after = try CommitBridgeBinary.run(["status", "-C", repo.path], in: repo.root, sandbox: repo)
        let before = try CommitBridgeBinary.run(["-C", repo.path, "status"], in: repo.root, sandbox: repo)
        let relative = try CommitBridgeBinary.run(["-C", "repo", "replay", "HEAD", "--dry-run", "--json"], in: repo.root, sandbox: repo)
        let glued = try CommitBridgeBinary.run(["-Crepo", "parse", "--json"], in: repo.root, stdin: "[#5] x", sandbox: repo)
        for result in [after, before, relative, glued] { XCTAssertEqual(result.status, 0, result.err) }
        XCTAssertEqual(before.out, after.out)
        XCTAssertTrue(before.out.contains(repo.path), before.out)
        XCTAssertEqual(relative.outLines.count, 1, relative.out)
        // As with git, a later -C is taken from the directory an earlier one led to.
        let twice = try CommitBridgeBinary.run(["-C", repo.root, "status", "-C", "repo"], in: "/", sandbox: repo)
        XCTAssertEqual(twice.status, 0, twice.err)
        XCTAssertEqual(twice.out, after.out)
        let outside = try CommitBridgeBinary.run(["status"], in: repo.root, sandbox: repo, environment: ["GIT_CEILING_DIRECTORIES": repo.root])
        XCTAssertEqual(outside.status, 3, "without -C the root is no repository: \(outside.err)")
    }

    func testDashCWithoutAPathIsOneUsageLine() throws {
        let repo = try GitSandbox()
        for arguments in [["-C"], ["status", "-C"]] {
            let result = try CommitBridgeBinary.run(arguments, sandbox: repo)
            assertOneLineError(result, status: 2, contains: "-C")
            XCTAssertEqual(result.err.split(separator: "\n").count, 1, result.err)
        }
        let nowhere = try CommitBridgeBinary.run(["-C", repo.root + "/no-such-dir", "status"], sandbox: repo)
        assertOneLineError(nowhere, status: 3, contains: "no-such-dir")
    }

    func testVersionAndHelpOfAllThreePrograms() throws {
        let main = try CommitBridgeBinary.run(["--version"])
        XCTAssertEqual(main.status, 0, main.err)
        let version = main.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(version.isEmpty)
        let sim = try ProcessRunner.run(BuiltProducts.executable("tracker-sim"), ["--version"])
        XCTAssertEqual(sim.status, 0, sim.err)
        XCTAssertFalse(sim.out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let hook = BuiltProducts.executable("commitbridge-commit-msg")
        let hookVersion = try ProcessRunner.run(hook, ["--version"])
        XCTAssertEqual(hookVersion.status, 0, hookVersion.err)
        XCTAssertEqual(hookVersion.out.trimmingCharacters(in: .whitespacesAndNewlines), version)
        let hookHelp = try ProcessRunner.run(hook, ["--help"])
        XCTAssertEqual(hookHelp.status, 0, hookHelp.err)
        XCTAssertTrue(hookHelp.out.contains("USAGE: commitbridge-commit-msg <message file> [--strict]"), hookHelp.out)
        let hookUsage = try ProcessRunner.run(hook, [])
        XCTAssertEqual(hookUsage.status, 2, hookUsage.err)

        // help, and every subcommand's --help, still parse.
        XCTAssertEqual(try CommitBridgeBinary.run(["help"]).status, 0)
        let commands = [["parse"], ["replay"], ["flush"], ["status"], ["install"], ["uninstall"], ["ci"], ["doctor"], ["explain"],
                        ["hook"], ["hook", "post-commit"], ["hook", "pre-push"], ["hook", "post-receive"], ["hook", "commit-msg"]]
        for command in commands {
            let help = try CommitBridgeBinary.run(command + ["--help"])
            XCTAssertEqual(help.status, 0, "\(command): \(help.err)")
            XCTAssertTrue(help.out.contains("USAGE"), "\(command): \(help.out)")
            XCTAssertEqual(try CommitBridgeBinary.run(["help"] + command).status, 0, "help \(command)")
        }
        let root = try CommitBridgeBinary.run(["--help"])
        XCTAssertTrue(root.out.contains("-C <path>"), root.out)
    }

    func testAUsageErrorIsOneLineNamingTheHelpToRead() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let bogus = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--bogus"], sandbox: repo)
        assertOneLineError(bogus, status: 2, contains: "(see 'commitbridge help replay')")
        XCTAssertEqual(bogus.err.split(separator: "\n").count, 1, bogus.err)
        let hook = try CommitBridgeBinary.run(["hook", "post-commit", "--bogus"], sandbox: repo)
        assertOneLineError(hook, status: 2, contains: "(see 'commitbridge help hook post-commit')")
        let afterDirectory = try CommitBridgeBinary.run(["-C", repo.path, "status", "--bogus"], in: repo.root, sandbox: repo)
        assertOneLineError(afterDirectory, status: 2, contains: "(see 'commitbridge help status')")
        let unknown = try CommitBridgeBinary.run(["frobnicate"], sandbox: repo)
        assertOneLineError(unknown, status: 2, contains: "(see 'commitbridge help')")
        XCTAssertEqual(unknown.err.split(separator: "\n").count, 1, unknown.err)
        let both = try CommitBridgeBinary.run(["status", "--quiet", "--verbose"], sandbox: repo)
        assertOneLineError(both, status: 2, contains: "--quiet and --verbose")
    }

    func testQuietAndVerbose() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        try repo.commit("two [finsihes #2]")
        let plain = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run"], sandbox: repo)
        XCTAssertTrue(plain.err.contains("scanned 2 commits"), plain.err)
        let quiet = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "--quiet"], sandbox: repo)
        XCTAssertEqual(quiet.status, 0, quiet.err)
        XCTAssertFalse(quiet.err.contains("scanned"), quiet.err)
        XCTAssertTrue(quiet.err.contains("warning:"), "warnings stay: \(quiet.err)")
        XCTAssertEqual(quiet.out, plain.out, "stdout is what was asked for")
        let verbose = try CommitBridgeBinary.run(["replay", "HEAD", "--dry-run", "-v", "--tracker-url", "http://127.0.0.1:9/services/v5"],
                                                 sandbox: repo, environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(verbose.status, 0, verbose.err)
        XCTAssertTrue(verbose.err.contains("tracker URL: http://127.0.0.1:9/services/v5 (from the command line)"), verbose.err)
        XCTAssertTrue(verbose.err.contains("token: set (from the environment)"), verbose.err)
        XCTAssertTrue(verbose.err.contains("state directory: "), verbose.err)
        XCTAssertFalse(verbose.err.contains(token), verbose.err)

        // A delivery: each commit as it goes with --verbose, nothing but problems with --quiet.
        let sim = try TrackerSimProcess(fixtures: fixtures(1...2), token: token, directory: repo.root)
        let delivered = try CommitBridgeBinary.run(["replay", "HEAD", "--verbose", "--tracker-url", sim.apiURL], sandbox: repo,
                                                   environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(delivered.status, 0, delivered.err)
        let shas = try repo.git(["rev-list", "HEAD"]).split(separator: "\n").map { String($0.prefix(7)) }
        for sha in shas { XCTAssertTrue(delivered.err.contains("\(sha) posted"), delivered.err) }
        try repo.commit("three [#1]")
        let quietDelivery = try CommitBridgeBinary.run(["replay", "HEAD", "-q", "--tracker-url", sim.apiURL], sandbox: repo,
                                                       environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(quietDelivery.status, 0, quietDelivery.err)
        XCTAssertEqual(quietDelivery.err, "")
        XCTAssertEqual(try sim.stats()["source_commits"], 3)
    }

    func testIdenticalFailuresAreOneLineWithTheirCountAndStories() throws {
        let repo = try GitSandbox()
        _ = try TaggedHistory(repo, count: 76, stories: 1...5)
        // Nothing listens on port 9: every look-up fails the same way.
        let result = try CommitBridgeBinary.run(["replay", "HEAD", "--tracker-url", "http://127.0.0.1:9/services/v5"], sandbox: repo,
                                                environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(result.status, 1, result.err)
        let queuedLines = result.err.split(separator: "\n").filter { $0.contains("queued:") }
        XCTAssertEqual(queuedLines.count, 1, result.err)
        XCTAssertTrue(queuedLines.first?.hasPrefix("76 commits stay queued: ") == true, result.err)
        XCTAssertTrue(queuedLines.first?.contains("(stories #1, #2, #3, #4, #5)") == true, result.err)
        // --verbose tells each one.
        let verbose = try CommitBridgeBinary.run(["flush", "--verbose", "--tracker-url", "http://127.0.0.1:9/services/v5"], sandbox: repo,
                                                 environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(verbose.status, 1, verbose.err)
        XCTAssertEqual(verbose.err.split(separator: "\n").filter { $0.contains("stays queued:") }.count, 76, verbose.err)
    }

    /// `script` runs the command on a pseudo-terminal; its output is what the terminal received.
    private func onTerminal(_ arguments: [String], _ repo: GitSandbox) throws -> ProcessResult {
        let quoted = ([CommitBridgeBinary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var environment = repo.environment
        environment["TRACKER_TOKEN"] = token
        environment["TERM"] = "xterm"
        return try ProcessRunner.run("/usr/bin/script", ["-qfec", quoted.joined(separator: " "), "/dev/null"], directory: repo.path,
                                     environment: environment)
    }

    func testAProgressLineOnATerminalOnly() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("needs util-linux script") }
        let repo = try GitSandbox()
        _ = try TaggedHistory(repo, count: 60, stories: 1...60)
        // Each request waits 40 ms and one goes at a time: posting 60 commits takes well over a second.
        let slow = ["--latency-ms", "40"]
        let sim = try TrackerSimProcess(fixtures: fixtures(1...60), token: token, directory: repo.root, arguments: slow)
        let arguments = ["replay", "HEAD", "--concurrency", "1", "--tracker-url", sim.apiURL]
        let terminal = try onTerminal(arguments, repo)
        XCTAssertEqual(terminal.status, 0, terminal.err)
        XCTAssertTrue(terminal.out.contains("\rposting: "), terminal.out)
        XCTAssertTrue(terminal.out.contains("/60 commits, "), terminal.out)
        XCTAssertTrue(terminal.out.contains(" left\u{1B}[K"), terminal.out)
        XCTAssertTrue(terminal.out.contains("\r\u{1B}[K"), "erased at the end: \(terminal.out)")
        XCTAssertTrue(terminal.out.contains("delivered 60 commits"), terminal.out)

        // Piped: the same work draws nothing.
        let sim2 = try TrackerSimProcess(fixtures: fixtures(1...60), token: token, directory: repo.root, arguments: slow)
        let piped = try CommitBridgeBinary.run(["replay", "HEAD", "--concurrency", "1", "--tracker-url", sim2.apiURL,
                                                "--state-dir", repo.root + "/piped-state"], sandbox: repo,
                                               environment: ["TRACKER_TOKEN": token])
        XCTAssertEqual(piped.status, 0, piped.err)
        XCTAssertTrue(piped.err.contains("delivered 60 commits"), piped.err)
        XCTAssertFalse(piped.err.contains("\r") || piped.out.contains("\r"), piped.err)

        // --quiet on a terminal draws nothing either.
        let sim3 = try TrackerSimProcess(fixtures: fixtures(1...60), token: token, directory: repo.root, arguments: slow)
        let quiet = try onTerminal(["replay", "HEAD", "--quiet", "--concurrency", "1", "--tracker-url", sim3.apiURL,
                                    "--state-dir", repo.root + "/quiet-state"], repo)
        XCTAssertEqual(try sim3.stats()["source_commits"], 60)
        XCTAssertEqual(quiet.status, 0, quiet.out)
        XCTAssertFalse(quiet.out.contains("posting: "), quiet.out)
    }
}
