import Hummingbird
import HummingbirdTesting
import TrackerSimKit
import XCTest

final class SourceCommitTests: XCTestCase {
    func testStatesMoveAsTheTableSays() async throws {
        try await SimFixtures.app().test(.router) { client in
            // A mention starts an unstarted feature.
            var response = try await client.postCommit("c1", "Add login [#555]")
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(statesByID(try response.jsonArray()), [555: "started"])

            // finish → finished, deliver → delivered.
            response = try await client.postCommit("c2", "[finishes #556] done")
            XCTAssertEqual(statesByID(try response.jsonArray()), [556: "finished"])
            response = try await client.postCommit("c3", "[#555 delivers] ship")
            XCTAssertEqual(statesByID(try response.jsonArray()), [555: "delivered"])

            // A finished chore is accepted; a release never moves; a rejected story can be finished again.
            response = try await client.postCommit("c4", "[Fixes #558] tidy")
            XCTAssertEqual(statesByID(try response.jsonArray()), [558: "accepted"])
            response = try await client.postCommit("c5", "[delivers #559] release")
            XCTAssertEqual(statesByID(try response.jsonArray()), [559: "unstarted"])
            response = try await client.postCommit("c6", "[Fixes #557] again")
            XCTAssertEqual(statesByID(try response.jsonArray()), [557: "finished"])

            // Never backwards: accepted stays accepted, delivered is not "finished" again.
            response = try await client.postCommit("c7", "[#560] [Fixes #561] late")
            XCTAssertEqual(statesByID(try response.jsonArray()), [560: "accepted", 561: "delivered"])
            response = try await client.postCommit("c8", "[#555] mention after delivery")
            XCTAssertEqual(statesByID(try response.jsonArray()), [555: "delivered"])

            // Every referenced story got its comment with the commit's SHA.
            let stories = try await client.simulatedStories()
            func commits(_ id: Int64) -> [String] {
                ((stories[id]?["comments"] as? [[String: Any]]) ?? []).compactMap { $0["commit_identifier"] as? String }
            }
            XCTAssertEqual(commits(555), ["c1", "c3", "c8"])
            XCTAssertEqual(commits(556), ["c2"])
            XCTAssertEqual(commits(557), ["c6"])
            XCTAssertEqual(commits(558), ["c4"])
            XCTAssertEqual(commits(559), ["c5"])
            XCTAssertEqual(commits(560), ["c7"])
            XCTAssertEqual(commits(561), ["c7"])
            XCTAssertEqual(commits(600), [])
            // The lookup endpoint shows the new state too.
            let story = try await client.get("/services/v5/stories/557").jsonObject()
            XCTAssertEqual(story["current_state"] as? String, "finished")
        }
    }

    func testTheAnswerListsAffectedStoriesInMessageOrder() async throws {
        try await SimFixtures.app().test(.router) { client in
            let response = try await client.postCommit("c1", "[finishes #600, #555] both")
            let stories = try response.jsonArray()
            XCTAssertEqual(stories.map { $0["id"] as? Int }, [600, 555])
            XCTAssertEqual(stories.map { $0["kind"] as? String }, ["story", "story"])
            XCTAssertEqual(stories.map { $0["current_state"] as? String }, ["finished", "finished"])
        }
    }

    func testUnknownStoriesAreSkipped() async throws {
        try await SimFixtures.app().test(.router) { client in
            var response = try await client.postCommit("c1", "[#4242] [#555] mixed")
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(try response.jsonArray().map { $0["id"] as? Int }, [555])

            response = try await client.postCommit("c2", "[Fixes #4242] nothing known")
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(String(buffer: response.body), "[]")

            response = try await client.postCommit("c3", "no tags at all")
            XCTAssertEqual(String(buffer: response.body), "[]")

            let stories = try await client.simulatedStories()
            XCTAssertNil(stories[4242])
            let stats = try await client.statistics()
            XCTAssertEqual(stats.comments, 1)
            XCTAssertEqual(stats.sourceCommits, 3)
        }
    }

    func testAutoCreateMakesUnstartedFeaturesInTheFirstProject() async throws {
        try await SimFixtures.app(SimFixtures.options(autoCreate: true)).test(.router) { client in
            let response = try await client.postCommit("c1", "[#4242] [finishes #4243] new ones")
            XCTAssertEqual(response.status, .ok)
            let stories = try response.jsonArray()
            XCTAssertEqual(stories.map { $0["id"] as? Int }, [4242, 4243])
            XCTAssertEqual(stories.map { $0["project_id"] as? Int }, [99, 99])
            XCTAssertEqual(stories.map { $0["story_type"] as? String }, ["feature", "feature"])
            // Created unstarted, then the commit's action applies.
            XCTAssertEqual(stories.map { $0["current_state"] as? String }, ["started", "finished"])

            let lookup = try await client.get("/services/v5/stories/4242")
            XCTAssertEqual(lookup.status, .ok)
            let comments = try await client.get("/services/v5/projects/99/stories/4243/comments").jsonArray()
            XCTAssertEqual(comments.map { $0["commit_identifier"] as? String }, ["c1"])
        }
    }

    func testAutoCreateWithoutProjectsUsesProjectOne() async throws {
        let app = SimFixtures.app(SimFixtures.options(autoCreate: true), state: .empty)
        try await app.test(.router) { client in
            let stories = try await client.postCommit("c1", "[#7]").jsonArray()
            XCTAssertEqual(stories.first?["project_id"] as? Int, 1)
            do { let value = try await client.get("/services/v5/projects/1/stories/7/comments").status; XCTAssertEqual(value, .ok) }
        }
    }

    func testPostingTheSameCommitTwiceCountsADuplicateComment() async throws {
        try await SimFixtures.app().test(.router) { client in
            do { let value = try await client.postCommit("same", "[#555] [#556]").status; XCTAssertEqual(value, .ok) }
            var stats = try await client.statistics()
            XCTAssertEqual(stats.comments, 2)
            XCTAssertEqual(stats.duplicateComments, 0)

            do { let value = try await client.postCommit("same", "[#555] [#556]").status; XCTAssertEqual(value, .ok) }
            do { let value = try await client.postCommit("other", "[#555]").status; XCTAssertEqual(value, .ok) }
            stats = try await client.statistics()
            XCTAssertEqual(stats.sourceCommits, 3)
            XCTAssertEqual(stats.comments, 5)
            XCTAssertEqual(stats.duplicateComments, 2)
            let comments = try await client.get("/services/v5/projects/99/stories/555/comments").jsonArray()
            XCTAssertEqual(comments.map { $0["commit_identifier"] as? String }, ["same", "same", "other"])
        }
    }

    func testABadBodyIsA400InvalidParameter() async throws {
        let bodies: [String] = [
            "",
            "not json",
            "[]",
            #"{"commit":{"commit_id":"a","message":"[#555]"}}"#,
            #"{"source_commit":{"message":"[#555]"}}"#,
            #"{"source_commit":{"commit_id":"","message":"[#555]"}}"#,
            #"{"source_commit":{"commit_id":"a"}}"#,
            #"{"source_commit":{"commit_id":12,"message":"[#555]"}}"#,
        ]
        try await SimFixtures.app().test(.router) { client in
            for body in bodies {
                let response = try await client.post("/services/v5/source_commits",
                                                     body: body.isEmpty ? nil : ByteBuffer(string: body))
                XCTAssertEqual(response.status, .badRequest, body)
                let object = try response.jsonObject()
                XCTAssertEqual(object["kind"] as? String, "error", body)
                XCTAssertEqual(object["code"] as? String, "invalid_parameter", body)
                XCTAssertEqual(object["error"] as? String, "One or more request parameters was missing or invalid.")
                XCTAssertNotNil(object["general_problem"] as? String, body)
                let problems = try XCTUnwrap(object["validation_errors"] as? [[String: Any]], body)
                XCTAssertEqual(problems.first?["field"] as? String, "source_commit", body)
                XCTAssertNotNil(problems.first?["problem"] as? String, body)
            }
            let stats = try await client.statistics()
            XCTAssertEqual(stats.sourceCommits, 0)
            XCTAssertEqual(stats.comments, 0)
        }
    }
}
