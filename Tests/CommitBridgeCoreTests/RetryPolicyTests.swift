import CommitBridgeCore
import XCTest

final class RetryPolicyTests: XCTestCase {
    func testBackoffGrowsAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: 0.5, maxDelay: 4)
        XCTAssertEqual(policy.delay(beforeRetry: 1, retryAfter: nil, unitRandom: 1), 0.5, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(beforeRetry: 2, retryAfter: nil, unitRandom: 1), 1.0, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(beforeRetry: 3, retryAfter: nil, unitRandom: 1), 2.0, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(beforeRetry: 4, retryAfter: nil, unitRandom: 1), 4.0, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(beforeRetry: 40, retryAfter: nil, unitRandom: 1), 4.0, accuracy: 1e-9)
    }

    func testJitterScalesTheDelay() {
        let policy = RetryPolicy(baseDelay: 1, maxDelay: 100)
        XCTAssertEqual(policy.delay(beforeRetry: 3, retryAfter: nil, unitRandom: 0.25), 1.0, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(beforeRetry: 3, retryAfter: nil, unitRandom: 0), 0, accuracy: 1e-9)
    }

    func testRetryAfterIsAFloorButCapped() {
        let policy = RetryPolicy(baseDelay: 0.1, maxDelay: 5)
        XCTAssertEqual(policy.delay(beforeRetry: 1, retryAfter: 2, unitRandom: 0.5), 2, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(beforeRetry: 1, retryAfter: 120, unitRandom: 0.5), 5, accuracy: 1e-9)
    }

    func testAtLeastOneAttempt() {
        XCTAssertEqual(RetryPolicy(maxAttempts: 0).maxAttempts, 1)
    }
}
