import TestSupport
import XCTest

extension XCTestCase {
    /// Fails unless the run exited `status` with one `commitbridge: ` line holding `text` on stderr,
    /// nothing on stdout, and no crash.
    func assertOneLineError(_ result: ProcessResult, status: Int32, contains text: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, status, "stderr: \(result.err)", file: file, line: line)
        XCTAssertTrue(result.err.contains(text), "stderr: \(result.err)", file: file, line: line)
        XCTAssertTrue(result.err.hasPrefix("commitbridge: "), "stderr: \(result.err)", file: file, line: line)
        XCTAssertFalse(result.err.contains("Fatal error"), file: file, line: line)
        XCTAssertTrue(result.out.isEmpty, "stdout: \(result.out)", file: file, line: line)
    }

    /// Fails if the run ended by a signal or printed a crash report (Swift's runtime backtrace).
    func assertNoCrash(_ result: ProcessResult, _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThan(result.status, 128, "\(label): ended by signal \(result.status - 128): \(result.err)", file: file, line: line)
        for marker in ["Fatal error", "Program crashed", "crashed:", "Backtrace"] {
            XCTAssertFalse(result.err.contains(marker), "\(label): \(result.err)", file: file, line: line)
        }
    }
}
