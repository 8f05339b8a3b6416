import Foundation
@testable import TrackerClient
import XCTest

/// `JSONSyntax` must tell JSON from anything else the way Foundation's parser does, on answers like
/// Tracker's and on the usual ways a body is not JSON.
final class JSONSyntaxTests: XCTestCase {
    private func valid(_ text: String) -> Bool {
        Data(text.utf8).withUnsafeBytes { JSONSyntax.isValid($0) }
    }

    private let accepted = [
        #"[{"id":1001,"current_state":"finished","name":"Story \"one\"","labels":[]}]"#,
        #"  {"a": [1, -2, 3.5, 4e10, 5E-3, -0.25e+2, 0], "b": {"c": null, "d": true, "e": false}}  "#,
        "\n[]\r\n", "{}", "0", "-0", "\"\"", #""\u00e9\/\\\b\f\n\r\t""#, "\"é ✓ 𝄞\"", "null", "[[[[1]]]]",
    ]

    private let refused = [
        "", "   ", "<html><body>Not Found</body></html>", "[1 2]", "{\"a\" 1}", "{\"a\":}", "{a:1}",
        "[", "]", "{\"a\":1", "\"open", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "True",
        "[1] x", "{} {}", "\"tab\there\"", #""\x""#, #""\u12G4""#, "[NaN]", "'single'",
    ]

    func testAgreesWithFoundation() {
        for text in accepted {
            XCTAssertTrue(valid(text), text)
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed), text)
        }
        for text in refused {
            XCTAssertFalse(valid(text), text)
            XCTAssertNil(try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed), text)
        }
    }

    /// Foundation lets a trailing comma pass; RFC 8259 does not, and neither does this.
    func testATrailingCommaIsRefused() {
        XCTAssertFalse(valid("[1,]"))
        XCTAssertFalse(valid(#"{"a":1,}"#))
    }

    func testDeepNestingIsRefusedWithoutRunningOutOfStack() {
        XCTAssertTrue(valid(String(repeating: "[", count: 500) + String(repeating: "]", count: 500)))
        XCTAssertFalse(valid(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)))
    }
}
