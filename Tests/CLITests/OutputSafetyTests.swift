import CommitBridgeCore
import Foundation
import TestSupport
import XCTest

/// Nothing secret and nothing hostile reaches any output: a token with a control character is
/// refused before it is used and never echoed, a URL's password is never shown, and what a server
/// (or a user) sends back reaches stdout, stderr, `status` and the background log without escape
/// sequences and cut to a line.
final class OutputSafetyTests: XCTestCase {
    private let token = "cbHOSTILE-token-51d0c7e2a9"

    // MARK: Checks

    /// Fails if `data` holds ESC, BEL or a C1 control (UTF-8 `C2 80`…`C2 9F`), or a line longer
    /// than commitbridge's line limit.
    private func assertTerminalSafe(_ data: Data, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = [UInt8](data)
        XCTAssertFalse(bytes.contains(0x1B), "\(label): ESC in \(String(decoding: data, as: UTF8.self).debugDescription.prefix(400))",
                       file: file, line: line)
        XCTAssertFalse(bytes.contains(0x07), "\(label): BEL", file: file, line: line)
        let c1 = zip(bytes, bytes.dropFirst()).contains { $0 == 0xC2 && (0x80...0x9F).contains($1) }
        XCTAssertFalse(c1, "\(label): a C1 control", file: file, line: line)
        for text in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            XCTAssertLessThanOrEqual(text.count, TerminalSafeText.lineLimit, "\(label): a line of \(text.count) characters",
                                     file: file, line: line)
            XCTAssertFalse(text.contains(String(repeating: "p", count: 200)), "\(label): the long problem was printed whole",
                           file: file, line: line)
        }
    }

    /// Every file under `directory` (when it exists), each checked by `check` with its name.
    private func eachFile(under directory: String, _ check: (String, Data) throws -> Void) throws {
        guard let names = FileManager.default.enumerator(atPath: directory) else { return }
        for case let name as String in names {
            var isDirectory: ObjCBool = false
            let path = directory + "/" + name
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            try check(name, try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    // MARK: Tokens with control characters

    func testATokenWithAControlCharacterIsRefusedNamingItsSourceAndNeverShown() throws {
        let repo = try GitSandbox()
        _ = try TaggedHistory(repo, count: 2, stories: 1...1)
        let state = repo.root + "/state"
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 1...1), token: token, directory: repo.root)
        let secondLine = "second-line-8e2f61"
        let tokenFile = repo.root + "/two-line-token"
        XCTAssertTrue(FileManager.default.createFile(atPath: tokenFile, contents: Data("\(token)\n\(secondLine)\n".utf8),
                                                     attributes: [.posixPermissions: 0o600]))

        // (label, extra arguments, environment, git config value, the source the error must name)
        var cases: [(String, [String], [String: String], String?, String)] = [
            ("two-line token file", ["--token-file", tokenFile], [:], nil, "token file '\(tokenFile)'"),
            ("git config with a line break", [], [:], "\(token)\n\(secondLine)", "git config commitbridge.token"),
        ]
        for (name, character) in [("SOH", "\u{01}"), ("tab", "\t"), ("newline", "\n"), ("DEL", "\u{7F}"), ("C1 CSI", "\u{9B}")] {
            cases.append(("TRACKER_TOKEN with \(name)", [], ["TRACKER_TOKEN": token + character + secondLine], nil,
                          "the TRACKER_TOKEN variable"))
        }
        for (label, arguments, environment, gitConfig, source) in cases {
            if let gitConfig {
                try repo.git(["config", "commitbridge.token", gitConfig])
            } else {
                _ = try? repo.git(["config", "--unset", "commitbridge.token"])
            }
            let env = environment.merging(["COMMITBRIDGE_STATE_DIR": state]) { $1 }
            let url = ["--tracker-url", sim.apiURL]
            let replay = try CommitBridgeBinary.run(["replay", "HEAD"] + url + arguments, sandbox: repo, environment: env)
            assertOneLineError(replay, status: 2, contains: source)
            XCTAssertTrue(replay.err.contains("control character"), "\(label): \(replay.err)")
            let flush = try CommitBridgeBinary.run(["flush"] + url + arguments, sandbox: repo, environment: env)
            assertOneLineError(flush, status: 2, contains: source)
            let doctor = try CommitBridgeBinary.run(["doctor"] + url + arguments, sandbox: repo, environment: env)
            XCTAssertEqual(doctor.status, 2, "\(label): \(doctor.out)")
            XCTAssertTrue(doctor.out.contains("PROBLEM  configuration: the token in \(source)"), "\(label): \(doctor.out)")
            let hook = try CommitBridgeBinary.run(["hook", "post-commit", "--background", "--foreground"] + url + arguments,
                                                  sandbox: repo, environment: env)
            for (run, result) in [("replay", replay), ("flush", flush), ("doctor", doctor), ("hook", hook)] {
                assertNoCrash(result, "\(label), \(run)")
                for text in [result.out, result.err] {
                    XCTAssertFalse(text.contains(token), "\(label), \(run): the token was shown: \(text)")
                    XCTAssertFalse(text.contains(secondLine), "\(label), \(run): part of the token was shown: \(text)")
                }
            }
        }
        XCTAssertEqual(try sim.stats()["requests"], 0, "a refused token is never sent, let alone retried")
        try eachFile(under: state) { name, data in
            XCTAssertNil(data.range(of: Data(token.utf8)), "\(name) holds the token")
            XCTAssertNil(data.range(of: Data(secondLine.utf8)), "\(name) holds part of the token")
        }
    }

    // MARK: Passwords in URLs

    func testAPasswordInTheTrackerURLIsNeverShown() throws {
        let repo = try GitSandbox()
        _ = try TaggedHistory(repo, count: 2, stories: 3...3)
        let state = repo.root + "/state"
        let password = "Pw-c81f2e07d4"
        let sim = try TrackerSimProcess(fixtures: TaggedHistory.fixtures(stories: 3...3), token: token, directory: repo.root)
        let withPassword = sim.apiURL.replacingOccurrences(of: "http://", with: "http://cbuser:\(password)@")
        let unreachable = "http://cbuser:\(password)@127.0.0.1:9/services/v5"
        let environment = ["TRACKER_TOKEN": token, "COMMITBRIDGE_STATE_DIR": state]
        var results: [(String, ProcessResult)] = []
        func run(_ label: String, _ arguments: [String], _ extra: [String: String] = [:]) throws -> ProcessResult {
            let result = try CommitBridgeBinary.run(arguments, sandbox: repo, environment: environment.merging(extra) { $1 })
            results.append((label, result))
            return result
        }

        let doctor = try run("doctor, flag", ["doctor", "--tracker-url", withPassword])
        XCTAssertTrue(doctor.out.contains("ok       tracker URL \(sim.apiURL) (from the --tracker-url flag)"), doctor.out)
        let fromEnvironment = try run("doctor, environment", ["doctor"], ["TRACKER_URL": withPassword])
        XCTAssertTrue(fromEnvironment.out.contains("tracker URL \(sim.apiURL) (from the TRACKER_URL variable)"), fromEnvironment.out)
        try repo.git(["config", "commitbridge.trackerUrl", unreachable])
        let fromGitConfig = try run("doctor, git config, unreachable", ["doctor"])
        XCTAssertTrue(fromGitConfig.out.contains("cannot use http://127.0.0.1:9/services/v5"), fromGitConfig.out)
        try repo.git(["config", "--unset", "commitbridge.trackerUrl"])
        let replay = try run("replay, unreachable", ["replay", "HEAD", "--tracker-url", unreachable])
        XCTAssertEqual(replay.status, 1, replay.err)
        _ = try run("status", ["status"])
        _ = try run("bad scheme", ["replay", "HEAD", "--tracker-url", "ftp://cbuser:\(password)@example.com/v5"])
        _ = try run("commit URL template", ["doctor", "--tracker-url", withPassword,
                                             "--commit-url", "https://cbuser:\(password)@git.example/c/{sha}"])

        for (label, result) in results {
            assertNoCrash(result, label)
            XCTAssertFalse(result.out.contains(password), "\(label): stdout shows the password: \(result.out)")
            XCTAssertFalse(result.err.contains(password), "\(label): stderr shows the password: \(result.err)")
        }
        try eachFile(under: state) { name, data in
            XCTAssertNil(data.range(of: Data(password.utf8)), "\(name) holds the password")
        }
    }

    // MARK: Hostile answers

    func testEscapeSequencesFromTheServerReachNoOutputAndLongTextIsCut() throws {
        let repo = try GitSandbox()
        try repo.git(["config", "commitbridge.postOn", "commit"]) // posting at commit time, as this test is about
        _ = try TaggedHistory(repo, count: 2, stories: 5...6)
        let state = repo.root + "/state"
        let server = try HostileTrackerServer(.escapes)
        let environment = ["TRACKER_TOKEN": token, "COMMITBRIDGE_STATE_DIR": state]
        var results: [(String, ProcessResult)] = []
        func run(_ label: String, _ arguments: [String]) throws -> ProcessResult {
            let result = try CommitBridgeBinary.run(arguments, sandbox: repo, environment: environment)
            results.append((label, result))
            return result
        }

        let dryRun = try run("dry run with predictions", ["replay", "HEAD", "--dry-run", "--tracker-url", server.apiURL])
        XCTAssertEqual(dryRun.status, 0, dryRun.err)
        XCTAssertTrue(dryRun.out.contains("#5 feature"), "the stories were looked up: \(dryRun.out)")
        let replay = try run("replay", ["replay", "HEAD", "--tracker-url", server.apiURL])
        XCTAssertEqual(replay.status, 1, replay.err)
        XCTAssertTrue(replay.err.contains("Tracker answered 400: invalid_parameter"), replay.err)
        XCTAssertTrue(replay.err.contains("possible fix: Fix"), "a long problem does not push the fix out: \(replay.err)")
        let status = try run("status", ["status"])
        XCTAssertTrue(status.out.contains("  last error: "), status.out)
        let doctor = try run("doctor", ["doctor", "--tracker-url", server.apiURL])
        XCTAssertTrue(doctor.out.contains("the token belongs to Mallory"), doctor.out)
        XCTAssertFalse(doctor.out.contains(String(repeating: "m", count: 200)), "the name is cut: \(doctor.out)")
        _ = try run("background hook", ["hook", "post-commit", "--background", "--foreground", "--tracker-url", server.apiURL])
        _ = try run("flush", ["flush", "--tracker-url", server.apiURL])

        for (label, result) in results {
            assertNoCrash(result, label)
            assertTerminalSafe(result.stdout, "\(label), stdout")
            assertTerminalSafe(result.stderr, "\(label), stderr")
        }
        let log = try Data(contentsOf: URL(fileURLWithPath: state + "/delivery.log"))
        XCTAssertTrue(String(decoding: log, as: UTF8.self).contains("Tracker answered 400"), String(decoding: log, as: UTF8.self))
        assertTerminalSafe(log, "delivery.log")
    }

    func testAnAnswerThatIsNotJSONIsQuotedWithoutItsEscapes() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let server = try HostileTrackerServer(.rawText)
        let doctor = try CommitBridgeBinary.run(["doctor", "--tracker-url", server.apiURL], sandbox: repo,
                                                environment: ["TRACKER_TOKEN": token])
        assertNoCrash(doctor)
        XCTAssertTrue(doctor.out.contains("it is not the expected JSON (starts with '"), doctor.out)
        assertTerminalSafe(doctor.stdout, "doctor, stdout")
        assertTerminalSafe(doctor.stderr, "doctor, stderr")
    }

    func testAnAnswerLargerThanTheLimitIsAPlainSentence() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let server = try HostileTrackerServer(.huge)
        let doctor = try CommitBridgeBinary.run(["doctor", "--tracker-url", server.apiURL], sandbox: repo,
                                                environment: ["TRACKER_TOKEN": token])
        assertNoCrash(doctor)
        XCTAssertEqual(doctor.status, 2, doctor.out)
        XCTAssertTrue(doctor.out.contains("Tracker's answer was larger than 8 MiB"), doctor.out)
        XCTAssertFalse(doctor.out.contains("NIOTooManyBytesError"), doctor.out)
        XCTAssertFalse(doctor.out.contains("maxBytes"), doctor.out)
    }

    // MARK: JSON

    func testJSONOutputIsNeitherCutNorChanged() throws {
        let message = (1...300).map { "[#\($0)]" }.joined(separator: " ")
        let result = try CommitBridgeBinary.run(["parse", "--json"], stdin: message)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.outLines.count, 1)
        XCTAssertGreaterThan(result.out.count, TerminalSafeText.lineLimit, "longer than a human line")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        XCTAssertEqual((object["references"] as? [Any])?.count, 300)
    }

    // MARK: Text typed by the user

    func testARevisionIsEchoedOnOneSafeLineAndANonCommitIsSaidPlainly() throws {
        let repo = try GitSandbox()
        try repo.commit("one [#1]")
        let hostile = try CommitBridgeBinary.run(["replay", "HEAD\u{1B}]0;pwned\u{07}", "--dry-run", "--offline"], sandbox: repo)
        assertOneLineError(hostile, status: 3, contains: "unknown revision")
        assertTerminalSafe(hostile.stderr, "escape sequence in a revision")

        let long = try CommitBridgeBinary.run(["replay", String(repeating: "r", count: 5000), "--dry-run", "--offline"], sandbox: repo)
        assertOneLineError(long, status: 3, contains: "revision 'rrrr")
        XCTAssertLessThan(long.err.count, 600, "the revision is cut: \(long.err.count) characters")

        let tree = try CommitBridgeBinary.run(["replay", "HEAD^{tree}", "--dry-run", "--offline"], sandbox: repo)
        assertOneLineError(tree, status: 3, contains: "revision 'HEAD^{tree}' is not a commit (it names a tree)")
        XCTAssertFalse(tree.err.contains("ODB"), tree.err)
    }
}
