import Foundation
import XCTest

/// `commitbridge parse --json` prints exactly one object with references and warnings.
final class ParseCommandTests: XCTestCase {
    func testJSONShape() throws {
        let result = try CommitBridgeBinary.run(["parse", "--json"], stdin: "Login [Fixes #555] and [#7]\n")
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, #"{"references":[{"story":555,"action":"finish"},{"story":7,"action":"mention"}],"warnings":[]}"# + "\n")
    }

    func testWarningsAreInTheObject() throws {
        let result = try CommitBridgeBinary.run(["parse", "--json"], stdin: "[finsihes #12] x")
        XCTAssertEqual(result.status, 0, result.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let warnings = try XCTUnwrap(object["warnings"] as? [String])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("finishes"))
        XCTAssertEqual(result.outLines.count, 1)
    }

    func testInvalidUTF8OnStdinDoesNotCrash() throws {
        var bytes = Array("[#3] ".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0xC3]
        let process = try CommitBridgeBinary.run(["parse", "--json"], stdin: String(decoding: bytes, as: UTF8.self))
        XCTAssertEqual(process.status, 0, process.err)
        XCTAssertTrue(process.out.hasPrefix(#"{"references":[{"story":3,"action":"mention"}]"#))
    }
}
