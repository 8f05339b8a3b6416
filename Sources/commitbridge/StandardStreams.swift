import Foundation

/// Buffered stdout (fast for 100,000 dry-run lines) and unbuffered one-line stderr.
enum StandardStreams {
    private static let stdoutBuffer = OutputBuffer(descriptor: 1, capacity: 1 << 16)
    private static let stderrBuffer = OutputBuffer(descriptor: 2, capacity: 0)

    /// Writes `line` and a newline to stdout, through a buffer.
    static func out(_ line: String) {
        stdoutBuffer.append(line)
    }

    /// Writes UTF-8 `line` and a newline to stdout, through a buffer.
    static func out(utf8 line: [UInt8]) {
        stdoutBuffer.append(utf8: line)
    }

    /// Writes `line` and a newline to stderr at once (stdout is flushed first, to keep the order).
    static func err(_ line: String) {
        stdoutBuffer.flush()
        stderrBuffer.append(line)
    }

    /// Sends stderr to the end of `path` from now on (the background hook has no terminal to write to).
    static func redirectErrors(toLog path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        dup2(descriptor, 2)
        close(descriptor)
    }

    static func flushOut() {
        stdoutBuffer.flush()
    }
}
