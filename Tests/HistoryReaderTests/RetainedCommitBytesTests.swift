@testable import HistoryReader
import XCTest

/// The bytes kept from a walk are given back exactly, and all of them are let go at once when the
/// next ones do not fit.
final class RetainedCommitBytesTests: XCTestCase {
    private func id(_ number: Int) -> ObjectID {
        let hex = String(repeating: "0", count: 40 - String(number, radix: 16).count) + String(number, radix: 16)
        return objectID(hex)
    }

    private func keep(_ bytes: [UInt8], _ number: Int, in retained: RetainedCommitBytes) {
        bytes.withUnsafeBufferPointer { retained.keep($0, of: id(number)) }
    }

    func testKeptBytesComeBackByIdUpToTheCapacity() {
        let retained = RetainedCommitBytes(capacity: 10)
        keep([1, 2, 3], 1, in: retained)
        keep([], 2, in: retained)
        keep([4, 5, 6, 7, 8, 9, 10], 3, in: retained)  // exactly full
        XCTAssertTrue(retained.isKeeping)
        XCTAssertEqual(retained.count, 3)
        XCTAssertEqual(retained.bytes(of: id(1)).map(Array.init), [1, 2, 3])
        XCTAssertEqual(retained.bytes(of: id(2)).map(Array.init), [])
        XCTAssertEqual(retained.bytes(of: id(3)).map(Array.init), [4, 5, 6, 7, 8, 9, 10])
        XCTAssertNil(retained.bytes(of: id(4)))
    }

    func testBytesThatDoNotFitLetEverythingGo() {
        let retained = RetainedCommitBytes(capacity: 8)
        keep([1, 2, 3, 4], 1, in: retained)
        keep([5, 6, 7, 8, 9], 2, in: retained)
        XCTAssertFalse(retained.isKeeping)
        XCTAssertEqual(retained.count, 0)
        XCTAssertNil(retained.bytes(of: id(1)))
        XCTAssertNil(retained.bytes(of: id(2)))
        // Nothing more is kept afterwards, even what would fit.
        keep([1], 3, in: retained)
        XCTAssertNil(retained.bytes(of: id(3)))
    }
}
