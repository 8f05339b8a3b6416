import Foundation

/// Buffered stdout (fast for 100,000 dry-run lines) and unbuffered one-line stderr.
enum StandardStreams {
    private static let stdoutBuffer = OutputBuffer(descriptor: 1, capacity: 1 << 16)
    private static let stderrBuffer = OutputBuffer(descriptor: 2, capacity: 0)

    /// Writes `line` and a newline to stdout, through a buffer.
    static func out(_ line: String) {
        stdoutBuffer.append(line)
    }

    /// Writes `line` and a newline to stderr at once (stdout is flushed first, to keep the order).
    static func err(_ line: String) {
        stdoutBuffer.flush()
        stderrBuffer.append(line)
    }

    static func flushOut() {
        stdoutBuffer.flush()
    }
}
