@testable import CommitBridgeServices
import Foundation
import XCTest

final class BackgroundWorkTests: XCTestCase {
    private struct Failure: Error, Equatable {}

    func testTheWorkRunsOnAnotherThreadAndItsValueCanBeReadTwice() throws {
        let caller = pthread_self()
        let work = BackgroundWork { () -> Bool in
            // Starts while the caller goes on: the caller is not the thread doing the work.
            pthread_equal(pthread_self(), caller) == 0
        }
        XCTAssertTrue(try work.value())
        XCTAssertTrue(try work.value())
    }

    func testValueWaitsForSlowWork() throws {
        let work = BackgroundWork { () -> Int in
            Thread.sleep(forTimeInterval: 0.05)
            return 42
        }
        XCTAssertEqual(try work.value(), 42)
    }

    func testTheWorksErrorIsRethrownEachTime() {
        let work = BackgroundWork { () -> Int in throw Failure() }
        for _ in 0..<2 {
            XCTAssertThrowsError(try work.value()) { XCTAssertEqual($0 as? Failure, Failure()) }
        }
    }
}
