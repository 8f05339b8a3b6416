// commitbridge-commit-msg <file> [--strict]
//
// The installed commit-msg hook runs this instead of `commitbridge hook commit-msg` when it sits
// next to the commitbridge binary: the same check (CommitMessageCheck), in a binary that links
// neither Foundation's ICU nor networking nor SQLite, so it adds a few milliseconds to `git commit`
// instead of the main binary's start-up time. It never touches the network or the state directory.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommitBridgeCore

/// Reads a whole file, or nil when it cannot be opened or read.
func readFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { return bytes }
        if count < 0 {
            if errno == EINTR { continue }
            return nil
        }
        bytes.append(contentsOf: chunk[0..<count])
    }
}

/// Writes `line` to stderr, terminal-safe and cut like every line of the main binary.
func writeError(_ line: String) {
    var text = TerminalSafeText.line(line, limit: TerminalSafeText.lineLimit) + "\n"
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { if errno == EINTR { continue }; return }
            offset += written
        }
    }
}

/// Writes `text` to stdout.
func writeOut(_ text: String) {
    var text = text
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { if errno == EINTR { continue }; return }
            offset += written
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
// The two flags a person may type; everything else is what git passes.
if arguments.contains("--version") {
    writeOut("\(CommitBridgeVersion.current)\n")
    exit(0)
}
if arguments.contains("--help") || arguments.contains("-h") {
    writeOut("""
        OVERVIEW: Warn about near-miss story tags in a commit message (commitbridge's commit-msg hook).

        USAGE: commitbridge-commit-msg <message file> [--strict]

        The installed commit-msg hook runs this with the file git passes; it makes the same check
        as 'commitbridge hook commit-msg'. Warnings go to stderr. It reads nothing but the file.

        OPTIONS:
          --strict    Refuse the commit (exit 1) when there are warnings.
          --version   Show the version.
          -h, --help  Show this help.

        Exit codes: 0 the message is fine or only warned about, 1 refused with --strict, 2 usage.

        """)
    exit(0)
}
let strict = arguments.contains("--strict")
let files = arguments.filter { $0 != "--strict" }
guard files.count == 1, !files[0].hasPrefix("-") else {
    writeError("commitbridge-commit-msg: usage: commitbridge-commit-msg <message file> [--strict]")
    exit(2)
}
let check = CommitMessageCheck(fileBytes: readFile(files[0]), path: files[0], strict: strict)
check.lines.forEach(writeError)
exit(check.refuses ? 1 : 0)
