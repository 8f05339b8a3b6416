import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TrackerSimKit
import XCTest

/// Requests the simulator tests make again and again.
extension TestClientProtocol {
    /// A GET with the test token (or `token`, or none when it is nil).
    func get(_ uri: String, token: String? = SimFixtures.token) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.trackerToken] = token }
        return try await execute(uri: uri, method: .get, headers: headers)
    }

    /// `POST /services/v5/source_commits` with the test token.
    func postCommit(_ commitID: String, _ message: String, url: String? = nil,
                    token: String? = SimFixtures.token) async throws -> TestResponse {
        try await post("/services/v5/source_commits",
                       body: SimFixtures.sourceCommitBody(commitID: commitID, message: message, url: url), token: token)
    }

    /// A POST of a raw body with the test token.
    func post(_ uri: String, body: ByteBuffer?, token: String? = SimFixtures.token) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.trackerToken] = token }
        return try await execute(uri: uri, method: .post, headers: headers, body: body)
    }

    /// `GET /__sim/stats`, decoded.
    func statistics() async throws -> SimulatorStatistics {
        let response = try await get("/__sim/stats", token: nil)
        XCTAssertEqual(response.status, .ok)
        return try JSONDecoder().decode(SimulatorStatistics.self, from: Data(response.body.readableBytesView))
    }

    /// `GET /__sim/stories`, as JSON objects keyed by story id.
    func simulatedStories() async throws -> [Int64: [String: Any]] {
        let response = try await get("/__sim/stories", token: nil)
        XCTAssertEqual(response.status, .ok)
        var byID: [Int64: [String: Any]] = [:]
        for story in try response.jsonArray() {
            byID[(story["id"] as! NSNumber).int64Value] = story
        }
        return byID
    }
}

extension HTTPField.Name {
    static let trackerToken = HTTPField.Name("X-TrackerToken")!
}

extension TestResponse {
    /// The body as a JSON object; fails the test (by throwing) when it is not one.
    func jsonObject(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(String(buffer: body))", file: file, line: line)
    }

    /// The body as a JSON array of objects.
    func jsonArray(file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try XCTUnwrap(value as? [[String: Any]], "not a JSON array: \(String(buffer: body))", file: file, line: line)
    }

    /// The error object's `code`.
    func errorCode() throws -> String? {
        let object = try jsonObject()
        XCTAssertEqual(object["kind"] as? String, "error")
        return object["code"] as? String
    }
}

/// Story states by id, from a `source_commits` answer.
func statesByID(_ stories: [[String: Any]]) -> [Int64: String] {
    var states: [Int64: String] = [:]
    for story in stories {
        states[(story["id"] as! NSNumber).int64Value] = story["current_state"] as? String
    }
    return states
}
