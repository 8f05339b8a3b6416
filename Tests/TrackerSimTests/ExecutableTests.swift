import Foundation
import TrackerSimKit
import XCTest

/// Runs the built `tracker-sim` binary as a child process.
final class ExecutableTests: XCTestCase {
    func testTheBinaryAnnouncesItsPortServesTheAPIAndSavesItsStateOnSigterm() throws {
        let directory = try SimFixtures.temporaryDirectory(for: self)
        let fixtures = directory.appendingPathComponent("fixtures.json")
        try Data("""
            {"projects":[{"id":99,"name":"Demo"}],
             "stories":[{"id":555,"project_id":99,"story_type":"feature","current_state":"unstarted","name":"Login"}]}
            """.utf8).write(to: fixtures)
        let statePath = directory.appendingPathComponent("state.json").path

        let simulator = try SimulatorProcess(arguments: [
            "--port", "0", "--fixtures", fixtures.path, "--token", "proc-token", "--state", statePath,
        ])
        let line = try simulator.readFirstLine()
        let match = try XCTUnwrap(line.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/), "first line: \(line)")
        let port = try XCTUnwrap(Int(match.1))
        XCTAssertGreaterThan(port, 0)
        let base = "http://127.0.0.1:\(port)/services/v5"

        let forbidden = try BlockingHTTP.send(URL(string: "\(base)/stories/555")!, token: nil)
        XCTAssertEqual(forbidden.status, 403)

        let story = try BlockingHTTP.send(URL(string: "\(base)/stories/555")!, token: "proc-token")
        XCTAssertEqual(story.status, 200)
        XCTAssertEqual(story.headers["content-type"], "application/json")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: story.body) as? [String: Any])
        XCTAssertEqual(object["id"] as? Int, 555)
        XCTAssertEqual(object["current_state"] as? String, "unstarted")

        let body = Data(#"{"source_commit":{"commit_id":"f00d","message":"[#555] from a process","author":"Ada"}}"#.utf8)
        let posted = try BlockingHTTP.send(URL(string: "\(base)/source_commits")!, method: "POST",
                                           token: "proc-token", body: body)
        XCTAssertEqual(posted.status, 200)

        XCTAssertEqual(simulator.terminate(), 0, "SIGTERM ends the simulator cleanly")
        XCTAssertEqual(simulator.process.terminationReason, .exit)

        // Started again from its state file alone, it remembers the commit.
        let restarted = try SimulatorProcess(arguments: [
            "--port", "0", "--token", "proc-token", "--state", statePath,
        ])
        let secondLine = try restarted.readFirstLine()
        let secondPort = try XCTUnwrap(secondLine.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/)?.1)
        let comments = try BlockingHTTP.send(
            URL(string: "http://127.0.0.1:\(secondPort)/services/v5/projects/99/stories/555/comments")!,
            token: "proc-token")
        XCTAssertEqual(comments.status, 200)
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: comments.body) as? [[String: Any]])
        XCTAssertEqual(list.map { $0["commit_identifier"] as? String }, ["f00d"])
        XCTAssertEqual(restarted.terminate(), 0)
    }

    func testTheBinaryTakesNamedTokensAndAutoCreatesOnLookUp() throws {
        let simulator = try SimulatorProcess(arguments: [
            "--port", "0", "--token", "ada=ada-token", "--token", "default-token", "--token", "Bob Stone=bob-token",
            "--auto-create",
        ])
        let line = try simulator.readFirstLine()
        let port = try XCTUnwrap(line.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/)?.1, "first line: \(line)")
        let base = "http://127.0.0.1:\(port)"

        for (token, id) in [("default-token", 101), ("ada-token", 102), ("bob-token", 103)] {
            let me = try BlockingHTTP.send(URL(string: "\(base)/services/v5/me")!, token: token)
            XCTAssertEqual(me.status, 200, token)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: me.body) as? [String: Any])
            XCTAssertEqual(object["id"] as? Int, id, token)
        }
        XCTAssertEqual(try BlockingHTTP.send(URL(string: "\(base)/services/v5/me")!, token: "ada").status, 403)

        // Looked up first, the unknown story exists; each person then comments on it.
        let story = try BlockingHTTP.send(URL(string: "\(base)/services/v5/stories/31")!, token: "bob-token")
        XCTAssertEqual(story.status, 200)
        for (token, sha) in [("bob-token", "b0b"), ("default-token", "d0d")] {
            let body = Data(#"{"source_commit":{"commit_id":"\#(sha)","message":"[#31] work","author":"x"}}"#.utf8)
            let posted = try BlockingHTTP.send(URL(string: "\(base)/services/v5/source_commits")!, method: "POST",
                                               token: token, body: body)
            XCTAssertEqual(posted.status, 200, token)
        }
        let listed = try BlockingHTTP.send(URL(string: "\(base)/__sim/comments")!, token: nil)
        XCTAssertEqual(listed.status, 200)
        let comments = try XCTUnwrap(try JSONSerialization.jsonObject(with: listed.body) as? [[String: Any]])
        XCTAssertEqual(comments.map { $0["commit_identifier"] as? String }, ["b0b", "d0d"])
        XCTAssertEqual(comments.map { $0["person_id"] as? Int }, [103, 101])
        XCTAssertEqual(comments.map { $0["story_id"] as? Int }, [31, 31])
        XCTAssertEqual(simulator.terminate(), 0)
    }

    func testVersionPrintsTheVersionAndExitsZero() throws {
        let simulator = try SimulatorProcess(arguments: ["--version"])
        let line = try simulator.readFirstLine()
        simulator.process.waitUntilExit()
        XCTAssertEqual(simulator.process.terminationStatus, 0)
        XCTAssertEqual(line, TrackerSimVersion.current)
    }

    func testBadArgumentsAreRefused() throws {
        for arguments in [["--port", "0"], ["--token", "t", "--fail-rate", "2"], ["--token", "t", "--rate-limit", "0"],
                          ["--token", "t", "--token", "u"], ["--token", "=t"], ["--token", "a=t", "--token", "b=t"],
                          ["--token", ""]] {
            let simulator = try SimulatorProcess(arguments: arguments)
            simulator.process.waitUntilExit()
            XCTAssertNotEqual(simulator.process.terminationStatus, 0, "\(arguments)")
        }
    }
}
