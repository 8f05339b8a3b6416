import Foundation

/// One script of the hooks/ folder, checked and ready to be written with the binary's path and,
/// when an existing hook is kept, a chain section.
///
/// The template must hold three lines: the marker (`# installed by commitbridge…`) that tells our
/// hooks from others, `COMMITBRIDGE_BIN=` (rewritten to the binary's path), and `# commitbridge:chain`,
/// the point where a chained variant runs the kept hook.
struct HookTemplate: Sendable {
    /// Every line starting with this marks a hook as ours.
    static let marker = "# installed by commitbridge"
    /// The line that holds the binary's path.
    static let binaryLinePrefix = "COMMITBRIDGE_BIN="
    /// The line after which a chained variant runs the kept hook.
    static let chainMarker = "# commitbridge:chain"
    /// Appended to a hook's path to name the place where a foreign hook is kept.
    static let chainedSuffix = ".commitbridge-chained"

    let kind: HookKind
    private let lines: [String]
    private let binaryLine: Int
    private let chainLine: Int

    /// Reads and checks `<scriptsDirectory>/<hook name>`.
    init(kind: HookKind, scriptsDirectory: String) throws {
        let path = scriptsDirectory + "/" + kind.rawValue
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HookInstallerError.templateMissing(path: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HookInstallerError.templateInvalid(path: path, reason: "not UTF-8 text")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let binaryLines = lines.indices.filter { lines[$0].hasPrefix(Self.binaryLinePrefix) }
        let chainLines = lines.indices.filter { lines[$0] == Self.chainMarker }
        guard lines.contains(where: { $0.hasPrefix(Self.marker) }) else {
            throw HookInstallerError.templateInvalid(path: path, reason: "no '\(Self.marker)' line")
        }
        guard binaryLines.count == 1 else {
            throw HookInstallerError.templateInvalid(path: path, reason: "needs exactly one '\(Self.binaryLinePrefix)' line")
        }
        guard chainLines.count == 1, binaryLines[0] < chainLines[0] else {
            throw HookInstallerError.templateInvalid(
                path: path, reason: "needs exactly one '\(Self.chainMarker)' line, after the binary line")
        }
        self.kind = kind
        self.lines = lines
        binaryLine = binaryLines[0]
        chainLine = chainLines[0]
    }

    /// Whether a hook file's contents carry our marker.
    static func isOurs(_ contents: Data) -> Bool {
        String(decoding: contents, as: UTF8.self)
            .split(separator: "\n")
            .contains { $0.hasPrefix(marker) }
    }

    /// The script to install: the template with the binary's path filled in; when `chained`, the kept
    /// hook (`$0.commitbridge-chained`) runs first.
    func render(binaryPath: String, chained: Bool) -> Data {
        var result = lines
        result[binaryLine] = Self.binaryLinePrefix + Self.shellQuoted(binaryPath)
        if chained {
            let head = result[...chainLine]
            let tail = result[(chainLine + 1)...]
            result = Array(head) + chainSection + (chainSectionHandsOver ? [""] : Array(tail))
        }
        return Data(result.joined(separator: "\n").utf8)
    }

    /// Whether the chain section ends the script itself, so the template's own hand-over is left out.
    ///
    /// post-receive's kept hook and commitbridge must read the same copy of stdin, so its chain
    /// section does the hand-over itself. commit-msg needs no such thing (a failing kept hook stops
    /// the script before commitbridge runs), nor does post-commit (its template ends with `exit $status`).
    private var chainSectionHandsOver: Bool { kind == .postReceive || kind == .prePush }

    /// The lines that run the kept hook, with the same arguments and stdin as this one.
    private var chainSection: [String] {
        let intro = "# The hook that was here before commitbridge runs first, with the same arguments"
        let chained = "chained=\"$0\(Self.chainedSuffix)\""
        switch kind {
        case .commitMsg:
            return [
                intro + "; if it fails, so does the commit.",
                chained,
                "if [ -x \"$chained\" ]; then \"$chained\" \"$@\" || exit $?; fi",
            ]
        case .postCommit:
            return [
                intro + "; its exit status is this hook's.",
                chained,
                "if [ -x \"$chained\" ]; then \"$chained\" \"$@\"; status=$?; fi",
            ]
        case .postReceive:
            return [
                intro + "; both read the same copy of stdin,",
                "# and its exit status is this hook's. Without a temporary file, stdin goes to that hook only.",
                chained,
                "input=$(mktemp) || exec \"$chained\" \"$@\"",
                "trap 'rm -f \"$input\"' EXIT",
                "trap 'exit 1' HUP INT TERM",
                "cat >\"$input\"",
                "status=0",
                "if [ -x \"$chained\" ]; then \"$chained\" \"$@\" <\"$input\"; status=$?; fi",
                "[ -z \"$bin\" ] || \"$bin\" hook post-receive <\"$input\"",
                "exit $status",
            ]
        case .prePush:
            return [
                intro + "; both read the same copy of stdin.",
                "# If it refuses the push, so does this hook, and commitbridge is not started.",
                chained,
                "input=$(mktemp) || exec \"$chained\" \"$@\"",
                "trap 'rm -f \"$input\"' EXIT",
                "trap 'exit 1' HUP INT TERM",
                "cat >\"$input\"",
                "if [ -x \"$chained\" ]; then \"$chained\" \"$@\" <\"$input\" || exit $?; fi",
                "[ -z \"$bin\" ] || \"$bin\" hook pre-push --git-pid \"$PPID\" \"$@\" <\"$input\" >/dev/null 2>&1",
                "exit 0",
            ]
        }
    }

    /// `text` in single quotes, safe for sh whatever it holds.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
