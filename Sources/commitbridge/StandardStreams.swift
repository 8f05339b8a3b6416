import Foundation

/// Buffered stdout (fast for 100,000 dry-run lines) and unbuffered one-line stderr.
enum StandardStreams {
    /// Writes `line` and a newline to stdout through C stdio's buffer.
    static func out(_ line: String) {
        var text = line
        text.append("\n")
        text.withUTF8 { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, stdout)
        }
    }

    /// Writes `line` and a newline to stderr.
    static func err(_ line: String) {
        flushOut()
        var text = line
        text.append("\n")
        text.withUTF8 { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, stderr)
        }
    }

    static func flushOut() {
        fflush(stdout)
    }
}
