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

    /// Escapes come out the same wherever they fall in the text (the writer copies runs of bytes
    /// between them), compared with an escaper that looks at one scalar at a time.
    func testEscapesAreTheSameWhereverTheyFall() {
        func reference(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{2028}": out += "\\u2028"
                case "\u{2029}": out += "\\u2029"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let specials: [String] = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{2028}", "\u{2029}", "\u{2014}",
                                  "\u{7F}", "é", "😀", " ", "~"]
        for special in specials {
            for before in 0...17 {
                for after in [0, 1, 7, 8, 9] {
                    let text = String(repeating: "a", count: before) + special + String(repeating: "b", count: after)
                    XCTAssertEqual(JSONValue.string(text).serialized(), reference(text), "\(before) before \(special.debugDescription)")
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
                String(repeating: "x", count: Int.random(in: 0...9, using: &generator)) + specials.randomElement(using: &generator)!
            }.joined()
            XCTAssertEqual(JSONValue.string(text).serialized(), reference(text))
        }
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
