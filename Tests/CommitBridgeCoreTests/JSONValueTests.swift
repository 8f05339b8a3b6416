import CommitBridgeCore
import Foundation
import XCTest

/// JSONValue's compact text: exact escapes, and every string read back unchanged by a JSON parser.
final class JSONValueTests: XCTestCase {
    func testEscapesAreExact() {
        XCTAssertEqual(JSONValue.string("plain ascii / slash").serialized(), #""plain ascii / slash""#)
        XCTAssertEqual(JSONValue.string("q\"b\\n\nr\rt\t").serialized(), #""q\"b\\n\nr\rt\t""#)
        XCTAssertEqual(JSONValue.string("\u{0}\u{1}\u{1F}").serialized(), #""\u0000\u0001\u001f""#)
        XCTAssertEqual(JSONValue.string("a\u{2028}b\u{2029}c").serialized(), #""a\u2028b\u2029c""#)
        XCTAssertEqual(JSONValue.string("é — “quotes” ✓ 😀").serialized(), "\"é — “quotes” ✓ 😀\"")
        XCTAssertEqual(JSONValue.string("").serialized(), #""""#)
        XCTAssertEqual(JSONValue.object([("k\"", .array([.string("\u{7}"), .integer(-3), .bool(true), .null]))]).serialized(),
                       #"{"k\"":["\u0007",-3,true,null]}"#)
    }

    func testEveryStringReadsBackUnchanged() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces: [String] = ["a", "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "\u{2027}", "\u{2028}",
                                "\u{2029}", "\u{E000}", "😀", "—", "\r\n", " ", "/"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...40, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }.joined()
            let json = JSONValue.array([.string(text)]).serialized()
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            XCTAssertEqual(parsed, [text], json)
        }
    }
}
