import CommitBridgeCore
import Foundation

/// Buffered stdout (fast for 100,000 dry-run lines) and unbuffered one-line stderr.
///
/// Every line passes through here, and here it is made safe: registered secrets and URL passwords
/// are taken out (`SecretRedactor`), and a human line is put on one line without control
/// characters and cut to `TerminalSafeText.lineLimit` characters, whatever it quotes.
enum StandardStreams {
    private static let stdoutBuffer = OutputBuffer(descriptor: 1, capacity: 1 << 16)
    private static let stderrBuffer = OutputBuffer(descriptor: 2, capacity: 0)

    /// Writes `line` and a newline to stdout, through a buffer.
    static func out(_ line: String) {
        stdoutBuffer.append(safe(line))
    }

    /// Writes each line of a block of commitbridge's own text (a help page) to stdout.
    static func out(lines text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out(String(line))
        }
    }

    /// Writes one line of JSON and a newline to stdout, through a buffer: only secrets are taken
    /// out of it (its writer escapes control characters, and it is never cut).
    static func out(json line: String) {
        stdoutBuffer.append(utf8: SecretRedactor.redact(utf8: Array(line.utf8)))
    }

    /// Writes UTF-8 `line` and a newline to stdout, through a buffer. The line is JSON, whose
    /// writer already escapes control characters: only secrets are taken out of it.
    static func out(utf8 line: [UInt8]) {
        stdoutBuffer.append(utf8: SecretRedactor.redact(utf8: line))
    }

    /// Writes `line` and a newline to stderr at once (stdout is flushed first, to keep the order).
    static func err(_ line: String) {
        stdoutBuffer.flush()
        stderrBuffer.append(safe(line))
    }

    /// `line` without secrets, on one line, without control characters, and not too long.
    static func safe(_ line: String) -> String {
        TerminalSafeText.line(SecretRedactor.redact(line), limit: TerminalSafeText.lineLimit)
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
