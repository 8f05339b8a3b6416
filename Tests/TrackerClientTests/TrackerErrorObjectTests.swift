import Foundation
import TrackerClient
import XCTest

final class TrackerErrorObjectTests: XCTestCase {
    func testParsesTrackerErrorOnOneLine() throws {
        let body = #"{"kind":"error","code":"invalid_parameter","error":"One or more request parameters was missing or invalid.","general_problem":"bad\nthing","possible_fix":"Send a message.","validation_errors":[{"field":"message","problem":"can't be blank"}]}"#
        let object = try XCTUnwrap(TrackerErrorObject.parse(Data(body.utf8)))
        XCTAssertEqual(object.code, "invalid_parameter")
        XCTAssertFalse(object.summary.contains("\n"))
        for part in ["invalid_parameter", "missing or invalid", "message: can't be blank", "possible fix: Send a message."] {
            XCTAssertTrue(object.summary.contains(part), object.summary)
        }
    }

    func testNonErrorBodiesAreNotErrorObjects() {
        XCTAssertNil(TrackerErrorObject.parse(Data("<html>oops</html>".utf8)))
        XCTAssertNil(TrackerErrorObject.parse(Data(#"{"kind":"story","id":1}"#.utf8)))
        XCTAssertNil(TrackerErrorObject.parse(Data()))
    }

    func testRequestErrorDescriptions() {
        let rejected = TrackerRequestError.rejected(status: 403, error: TrackerErrorObject(code: "invalid_authentication", error: "Invalid authentication credentials were presented."))
        XCTAssertTrue(rejected.isAuthenticationFailure)
        XCTAssertFalse(rejected.isTransient)
        XCTAssertEqual(rejected.description, "Tracker answered 403: invalid_authentication — Invalid authentication credentials were presented.")
        let redirect = TrackerRequestError.redirected(status: 302, location: "https://u:secret@evil.example/x")
        XCTAssertFalse(redirect.description.contains("secret"))
        XCTAssertTrue(TrackerRequestError.gaveUp(attempts: 6, lastProblem: "x").isTransient)
    }
}
