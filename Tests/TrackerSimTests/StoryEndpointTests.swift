import Hummingbird
import HummingbirdTesting
import TrackerSimKit
import XCTest

final class StoryEndpointTests: XCTestCase {
    func testAKnownStoryIsAnsweredAsTrackerStoryJSON() async throws {
        try await SimFixtures.app().test(.router) { client in
            let response = try await client.get("/services/v5/stories/555")
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], "application/json")
            XCTAssertEqual(response.headers[.contentLength], String(response.body.readableBytes))
            let story = try response.jsonObject()
            XCTAssertEqual(story["kind"] as? String, "story")
            XCTAssertEqual(story["id"] as? Int, 555)
            XCTAssertEqual(story["project_id"] as? Int, 99)
            XCTAssertEqual(story["name"] as? String, "Login")
            XCTAssertEqual(story["story_type"] as? String, "feature")
            XCTAssertEqual(story["current_state"] as? String, "unstarted")
            XCTAssertEqual(story["url"] as? String, "https://tracker.local/story/show/555")
            let created = try XCTUnwrap(story["created_at"] as? String)
            XCTAssertNotNil(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/), created)
            XCTAssertNotNil(story["updated_at"] as? String)
        }
    }

    func testAnUnknownStoryIsA404WithTheUnfoundResourceObject() async throws {
        // Without auto-create a look-up never creates a story.
        try await SimFixtures.app().test(.router) { client in
            for uri in ["/services/v5/stories/4242", "/services/v5/stories/not-a-number"] {
                let response = try await client.get(uri)
                XCTAssertEqual(response.status, .notFound, uri)
                let object = try response.jsonObject()
                XCTAssertEqual(object["code"] as? String, "unfound_resource")
                XCTAssertEqual(
                    object["error"] as? String,
                    "The object you tried to access could not be found.  It may have been removed by another user, you may be using the ID of another object type, or you may be trying to access a sub-resource at the wrong point in a tree.")
            }
            let stories = try await client.simulatedStories()
            XCTAssertNil(stories[4242])
        }
    }

    func testAutoCreateMakesAStoryOnItsFirstLookUpThenAPostedCommitFindsIt() async throws {
        try await SimFixtures.app(SimFixtures.options(autoCreate: true)).test(.router) { client in
            // An id that is not a number is still no story.
            let notANumber = try await client.get("/services/v5/stories/not-a-number")
            XCTAssertEqual(notANumber.status, .notFound)
            XCTAssertEqual(try notANumber.errorCode(), "unfound_resource")

            // The look-up creates the story as a posted commit would: unstarted feature, first project.
            let first = try await client.get("/services/v5/stories/4242?fields=%3Adefault%2Ccomments%28commit_identifier%29")
            XCTAssertEqual(first.status, .ok)
            let created = try first.jsonObject()
            XCTAssertEqual(created["id"] as? Int, 4242)
            XCTAssertEqual(created["project_id"] as? Int, 99)
            XCTAssertEqual(created["story_type"] as? String, "feature")
            XCTAssertEqual(created["current_state"] as? String, "unstarted")
            XCTAssertEqual(created["name"] as? String, "Auto-created story 4242")
            XCTAssertEqual((created["comments"] as? [Any])?.count, 0)

            // Looked up again, it is the same story, not a new one.
            let again = try await client.get("/services/v5/stories/4242").jsonObject()
            XCTAssertEqual(again["created_at"] as? String, created["created_at"] as? String)
            let empty = try await client.get("/services/v5/projects/99/stories/4242/comments")
            XCTAssertEqual(empty.status, .ok)
            XCTAssertEqual(try empty.jsonArray().count, 0)

            // The commit posted after the look-ups lands on it and moves it.
            let posted = try await client.postCommit("c1", "[Finishes #4242] after looking it up")
            XCTAssertEqual(posted.status, .ok)
            XCTAssertEqual(statesByID(try posted.jsonArray()), [4242: "finished"])
            let comments = try await client.get("/services/v5/projects/99/stories/4242/comments").jsonArray()
            XCTAssertEqual(comments.map { $0["commit_identifier"] as? String }, ["c1"])

            let stories = try await client.simulatedStories()
            XCTAssertEqual(stories[4242]?["current_state"] as? String, "finished")
            XCTAssertEqual(stories.count, SimFixtures.state.stories.count + 1, "one story created, once")
            // Two look-ups of 4242 reached the story table (the id that is not a number did not).
            let stats = try await client.statistics()
            XCTAssertEqual(stats.storyLookups, 2)
        }
    }

    func testAutoCreateOnLookUpWithoutProjectsUsesProjectOne() async throws {
        try await SimFixtures.app(SimFixtures.options(autoCreate: true), state: .empty).test(.router) { client in
            let story = try await client.get("/services/v5/stories/7").jsonObject()
            XCTAssertEqual(story["project_id"] as? Int, 1)
            let comments = try await client.get("/services/v5/projects/1/stories/7/comments")
            XCTAssertEqual(comments.status, .ok)
        }
    }

    func testAnUnknownRouteIsAJSON404() async throws {
        try await SimFixtures.app().test(.router) { client in
            let response = try await client.get("/services/v5/no/such/thing")
            XCTAssertEqual(response.status, .notFound)
            XCTAssertEqual(response.headers[.contentType], "application/json")
            XCTAssertEqual(try response.errorCode(), "route_not_found")
        }
    }

    func testCommentsListTheirCommitIdentifiers() async throws {
        try await SimFixtures.app().test(.router) { client in
            do { let value = try await client.postCommit("sha-one", "[#555] first", url: "https://git.example/c/sha-one").status; XCTAssertEqual(value, .ok) }
            do { let value = try await client.postCommit("sha-two", "[Fixes #555] second").status; XCTAssertEqual(value, .ok) }
            let response = try await client.get(
                "/services/v5/projects/99/stories/555/comments?fields=commit_identifier,commit_type,text")
            XCTAssertEqual(response.status, .ok)
            let comments = try response.jsonArray()
            XCTAssertEqual(comments.map { $0["commit_identifier"] as? String }, ["sha-one", "sha-two"])
            XCTAssertEqual(comments.map { $0["kind"] as? String }, ["comment", "comment"])
            XCTAssertEqual(comments.map { $0["commit_type"] as? String }, ["git", "git"])
            XCTAssertEqual(comments.map { $0["story_id"] as? Int }, [555, 555])
            XCTAssertEqual(comments.map { $0["person_id"] as? Int }, [101, 101])
            XCTAssertEqual(comments.first?["text"] as? String, "[#555] first\nhttps://git.example/c/sha-one")
            XCTAssertEqual(comments.last?["text"] as? String, "[Fixes #555] second")
            let ids = comments.compactMap { $0["id"] as? Int }
            XCTAssertEqual(Set(ids).count, 2)
        }
    }

    func testFieldsNamingCommentsNestTheStorysComments() async throws {
        var ignoring = SimFixtures.options()
        ignoring.ignoreFields = true
        for (options, nests) in [(SimFixtures.options(), true), (ignoring, false)] {
            try await SimFixtures.app(options).test(.router) { client in
                do { let value = try await client.postCommit("sha-one", "[#555] first").status; XCTAssertEqual(value, .ok) }
                for query in ["?fields=%3Adefault%2Ccomments%28commit_identifier%29", "?fields=name,comments",
                              "?fields=comments(text,commit_identifier),name"] {
                    let story = try await client.get("/services/v5/stories/555" + query).jsonObject()
                    XCTAssertEqual(story["id"] as? Int, 555, query)
                    XCTAssertEqual(story["project_id"] as? Int, 99, query)
                    let comments = story["comments"] as? [[String: Any]]
                    if nests {
                        XCTAssertEqual(comments?.map { $0["commit_identifier"] as? String }, ["sha-one"], query)
                    } else {
                        XCTAssertNil(story["comments"], query)
                    }
                }
                // Without `fields`, or with a name that only contains the word, no comments.
                for query in ["", "?fields=name", "?fields=name(comments)", "?fields=comments_count"] {
                    let story = try await client.get("/services/v5/stories/555" + query).jsonObject()
                    XCTAssertNil(story["comments"], query)
                }
            }
        }
    }

    func testCommentsOfAStoryOutsideTheProjectAreA404() async throws {
        try await SimFixtures.app().test(.router) { client in
            let empty = try await client.get("/services/v5/projects/100/stories/600/comments")
            XCTAssertEqual(empty.status, .ok)
            XCTAssertEqual(try empty.jsonArray().count, 0)
            for uri in ["/services/v5/projects/100/stories/555/comments", "/services/v5/projects/99/stories/4242/comments"] {
                let response = try await client.get(uri)
                XCTAssertEqual(response.status, .notFound, uri)
                XCTAssertEqual(try response.errorCode(), "unfound_resource")
            }
        }
    }
}
