import Hummingbird
import HummingbirdTesting
import TrackerSimKit
import XCTest

/// The same app over a real socket, on one keep-alive connection.
final class LiveServerTests: XCTestCase {
    func testKeepAliveRequestsGetSingleBufferJSONAnswers() async throws {
        try await SimFixtures.app().test(.live) { client in
            XCTAssertNotNil(client.port)
            for _ in 0..<20 {
                let response = try await client.get("/services/v5/stories/555")
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/json")
                XCTAssertEqual(response.headers[.contentLength], String(response.body.readableBytes))
                XCTAssertNil(response.headers[.transferEncoding], "the body is not chunked")
            }
            let posted = try await client.postCommit("live", "[Fixes #555] over the wire")
            XCTAssertEqual(posted.status, .ok)
            XCTAssertEqual(statesByID(try posted.jsonArray()), [555: "finished"])
            let forbidden = try await client.get("/services/v5/me", token: "nope")
            XCTAssertEqual(forbidden.status, .forbidden)
            XCTAssertEqual(forbidden.headers[.contentLength], String(forbidden.body.readableBytes))

            let stats = try await client.statistics()
            XCTAssertEqual(stats.requests, 22)
            XCTAssertEqual(stats.storyLookups, 20)
        }
    }
}
