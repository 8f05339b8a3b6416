import Foundation
import Hummingbird
import HummingbirdTesting
import TrackerSimKit
import XCTest

/// Several tokens, each of its own person: who `GET /me` is, who writes each comment.
final class PeopleTests: XCTestCase {
    static let adaToken = "ada-token"
    static let graceToken = "grace-token"

    /// The default token of the fixtures, then Ada and Grace, as `--token` would give them.
    static func tokens() throws -> TokenDirectory {
        try TokenDirectory(arguments: ["Ada Lovelace=\(adaToken)", SimFixtures.token, "grace@navy.example=\(graceToken)"])
    }

    func testTokenArgumentsGiveEachNamedTokenAPersonWithStableIDs() throws {
        let tokens = try Self.tokens()
        XCTAssertEqual(tokens.defaultToken, SimFixtures.token)
        XCTAssertEqual(tokens.person(forToken: SimFixtures.token), SimulatedPerson.defaultPerson)
        XCTAssertEqual(tokens.namedPeople, [
            SimulatedPerson(id: 102, name: "Ada Lovelace", initials: "AL", username: "ada_lovelace",
                            email: "ada_lovelace@example.com"),
            SimulatedPerson(id: 103, name: "grace@navy.example", initials: "G", username: "grace",
                            email: "grace@navy.example"),
        ])
        XCTAssertEqual(tokens.person(forToken: Self.adaToken)?.id, 102)
        XCTAssertEqual(tokens.person(forToken: Self.graceToken)?.id, 103)
        for unknown in [nil, "", "nope", "Ada Lovelace", "ada-token "] as [String?] {
            XCTAssertNil(tokens.person(forToken: unknown), unknown ?? "none")
        }

        // The plain token is optional when named ones are given; ids stay the same.
        let namedOnly = try TokenDirectory(arguments: ["ada=a", "bob=b"])
        XCTAssertNil(namedOnly.defaultToken)
        XCTAssertEqual(namedOnly.namedPeople.map(\.id), [102, 103])
        XCTAssertEqual(namedOnly.person(forToken: "b")?.username, "bob")
        // Only the first `=` separates: the token may hold more.
        XCTAssertEqual(try TokenDirectory(arguments: ["ada=x=y"]).person(forToken: "x=y")?.name, "ada")
    }

    func testUnusableTokenArgumentsAreRefusedWithoutShowingTheToken() {
        let cases: [([String], TokenDirectory.Problem)] = [
            ([], .noToken),
            ([""], .emptyToken),
            (["ada="], .emptyToken),
            (["=secret-one"], .emptyName),
            (["  =secret-one"], .emptyName),
            (["secret-one", "secret-two"], .twoDefaultTokens),
            (["secret-one", "ada=secret-one"], .tokenGivenTwice),
            (["ada=secret-one", "bob=secret-one"], .tokenGivenTwice),
            (["ada=secret-one", "ada=secret-two"], .nameGivenTwice("ada")),
        ]
        for (arguments, expected) in cases {
            XCTAssertThrowsError(try TokenDirectory(arguments: arguments), "\(arguments)") { error in
                XCTAssertEqual(error as? TokenDirectory.Problem, expected, "\(arguments)")
                XCTAssertFalse("\(error)".contains("secret"), "\(error)")
            }
        }
    }

    func testMeAnswersTheTokensOwnPerson() async throws {
        try await SimFixtures.app(SimFixtures.options(tokens: Self.tokens())).test(.router) { client in
            let expected: [(String, Int, String, String, String, String)] = [
                (SimFixtures.token, 101, "Simulated User", "SU", "sim", "sim@example.com"),
                (Self.adaToken, 102, "Ada Lovelace", "AL", "ada_lovelace", "ada_lovelace@example.com"),
                (Self.graceToken, 103, "grace@navy.example", "G", "grace", "grace@navy.example"),
            ]
            for (token, id, name, initials, username, email) in expected {
                let response = try await client.get("/services/v5/me", token: token)
                XCTAssertEqual(response.status, .ok, name)
                let me = try response.jsonObject()
                XCTAssertEqual(me["kind"] as? String, "me")
                XCTAssertEqual(me["id"] as? Int, id)
                XCTAssertEqual(me["name"] as? String, name)
                XCTAssertEqual(me["initials"] as? String, initials)
                XCTAssertEqual(me["username"] as? String, username)
                XCTAssertEqual(me["email"] as? String, email)
                XCTAssertEqual(me["api_token"] as? String, "***")
            }
        }
    }

    func testABadTokenIsStillRefusedWhenSeveralAreConfigured() async throws {
        try await SimFixtures.app(SimFixtures.options(tokens: Self.tokens())).test(.router) { client in
            for token in [nil, "", "wrong-token", "Ada Lovelace", "ada-token=", "Ada Lovelace=ada-token"] as [String?] {
                let me = try await client.get("/services/v5/me", token: token)
                XCTAssertEqual(me.status, .forbidden, token ?? "none")
                XCTAssertEqual(try me.errorCode(), "invalid_authentication")
                let posted = try await client.postCommit("bad", "[#555]", token: token)
                XCTAssertEqual(posted.status, .forbidden, token ?? "none")
            }
            let comments = try await client.get("/__sim/comments", token: nil).jsonArray()
            XCTAssertEqual(comments.count, 0)
            let stories = try await client.simulatedStories()
            XCTAssertEqual(stories[555]?["current_state"] as? String, "unstarted")
        }
    }

    func testEachTokenWritesItsOwnPersonsComments() async throws {
        try await SimFixtures.app(SimFixtures.options(tokens: Self.tokens())).test(.router) { client in
            let posts: [(String, String, String)] = [
                (Self.adaToken, "sha-ada", "[#555] [#556] by Ada"),
                (SimFixtures.token, "sha-default", "[#555] by the default person"),
                (Self.graceToken, "sha-grace", "[Finishes #556] by Grace"),
            ]
            for (token, sha, message) in posts {
                let response = try await client.postCommit(sha, message, token: token)
                XCTAssertEqual(response.status, .ok, sha)
            }
            let on555 = try await client.get("/services/v5/projects/99/stories/555/comments").jsonArray()
            XCTAssertEqual(on555.map { $0["commit_identifier"] as? String }, ["sha-ada", "sha-default"])
            XCTAssertEqual(on555.map { $0["person_id"] as? Int }, [102, 101])
            let on556 = try await client.get("/services/v5/projects/99/stories/556/comments").jsonArray()
            XCTAssertEqual(on556.map { $0["commit_identifier"] as? String }, ["sha-ada", "sha-grace"])
            XCTAssertEqual(on556.map { $0["person_id"] as? Int }, [102, 103])
            // The nested comments of a story say the same.
            let story = try await client.get("/services/v5/stories/556?fields=:default,comments").jsonObject()
            XCTAssertEqual((story["comments"] as? [[String: Any]])?.map { $0["person_id"] as? Int }, [102, 103])
        }
    }

    func testSimCommentsListsEveryCommentInCreationOrder() async throws {
        try await SimFixtures.app(SimFixtures.options(tokens: Self.tokens(), autoCreate: true)).test(.router) { client in
            let empty = try await client.get("/__sim/comments", token: nil)
            XCTAssertEqual(empty.status, .ok)
            XCTAssertEqual(empty.headers[.contentType], "application/json")
            XCTAssertEqual(try empty.jsonArray().count, 0)

            // Stories in an order that differs from their ids, so creation order is not id order.
            do { let value = try await client.postCommit("c1", "[#600] [#555] one", url: "https://git.example/c1",
                                                         token: Self.graceToken).status; XCTAssertEqual(value, .ok) }
            do { let value = try await client.postCommit("c2", "[#9000] two").status; XCTAssertEqual(value, .ok) }
            do { let value = try await client.postCommit("c3", "[#555] three", token: Self.adaToken).status; XCTAssertEqual(value, .ok) }
            // Refused and failed posts leave no comment.
            do { let value = try await client.postCommit("c4", "[#555] four", token: "wrong").status; XCTAssertEqual(value, .forbidden) }

            let response = try await client.get("/__sim/comments", token: nil)
            XCTAssertEqual(response.status, .ok)
            let comments = try response.jsonArray()
            XCTAssertEqual(comments.map { $0["story_id"] as? Int }, [600, 555, 9000, 555])
            XCTAssertEqual(comments.map { $0["commit_identifier"] as? String }, ["c1", "c1", "c2", "c3"])
            XCTAssertEqual(comments.map { $0["person_id"] as? Int }, [103, 103, 101, 102])
            XCTAssertEqual(comments.map { $0["text"] as? String },
                           ["[#600] [#555] one\nhttps://git.example/c1", "[#600] [#555] one\nhttps://git.example/c1",
                            "[#9000] two", "[#555] three"])
            let ids = comments.compactMap { $0["id"] as? Int }
            XCTAssertEqual(ids.count, 4)
            XCTAssertEqual(ids, ids.sorted())
            XCTAssertEqual(Set(ids).count, 4)
            for comment in comments {
                let created = try XCTUnwrap(comment["created_at"] as? String)
                XCTAssertNotNil(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/), created)
                XCTAssertEqual(comment["kind"] as? String, "comment")
                XCTAssertEqual(comment["commit_type"] as? String, "git")
            }
            // The same comments as each story's own list.
            let on555 = try await client.get("/services/v5/projects/99/stories/555/comments").jsonArray()
            XCTAssertEqual(on555.compactMap { $0["id"] as? Int }, [ids[1], ids[3]])
        }
    }

    func testSimCommentsFollowTheOrderOfALoadedState() async throws {
        // Comments loaded from a state file keep their ids; new ones come after them.
        let loaded = try TrackerState(
            projects: [SimulatedProject(id: 99, name: "Demo")],
            stories: [SimulatedStory(id: 1, projectID: 99), SimulatedStory(id: 2, projectID: 99)],
            comments: [
                SimulatedComment(id: 7, storyID: 1, text: "late", personID: 105, commitIdentifier: "b"),
                SimulatedComment(id: 3, storyID: 2, text: "early", commitIdentifier: "a"),
            ])
        try await SimFixtures.app(SimFixtures.options(tokens: Self.tokens()), state: loaded).test(.router) { client in
            do { let value = try await client.postCommit("c", "[#2] new", token: Self.adaToken).status; XCTAssertEqual(value, .ok) }
            let comments = try await client.get("/__sim/comments", token: nil).jsonArray()
            XCTAssertEqual(comments.map { $0["id"] as? Int }, [3, 7, 8])
            XCTAssertEqual(comments.map { $0["commit_identifier"] as? String }, ["a", "b", "c"])
            XCTAssertEqual(comments.map { $0["person_id"] as? Int }, [101, 105, 102])
        }
    }
}
