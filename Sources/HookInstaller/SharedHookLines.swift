import Foundation

/// The lines commitbridge adds at the end of a hook that lives in a shared hooks folder (tracked
/// by git, as husky's `.husky/`), instead of moving that hook aside: the folder is the team's, so
/// its files stay where they are, and nothing in the lines depends on one machine (commitbridge is
/// found on `PATH`; a machine without it skips them silently).
enum SharedHookLines {
    static let begin = "# commitbridge: lines added by 'commitbridge install'; 'commitbridge uninstall' takes them out"
    static let end = "# commitbridge: end"

    /// The commands for `kind`, as POSIX sh.
    static func commands(for kind: HookKind) -> [String] {
        switch kind {
        case .postCommit:
            return [#"if command -v commitbridge >/dev/null 2>&1; then commitbridge hook post-commit --commit "$(git rev-parse HEAD)" --background </dev/null >/dev/null 2>&1 & fi"#]
        case .prePush:
            // git's lines reach this point only if the lines above did not read them.
            return [#"if command -v commitbridge >/dev/null 2>&1; then commitbridge hook pre-push "$@" >/dev/null 2>&1; fi"#]
        case .commitMsg:
            return [#"if command -v commitbridge-commit-msg >/dev/null 2>&1; then commitbridge-commit-msg "$1" || exit $?; elif command -v commitbridge >/dev/null 2>&1; then commitbridge hook commit-msg "$1" || exit $?; fi"#]
        case .postReceive:
            return [#"if command -v commitbridge >/dev/null 2>&1; then commitbridge hook post-receive; fi"#]
        }
    }

    static func isPresent(in contents: Data) -> Bool {
        String(decoding: contents, as: UTF8.self).split(separator: "\n").contains { $0 == begin }
    }

    /// `contents` with the lines for `kind` at its end (replacing any added before).
    static func adding(to contents: Data, kind: HookKind) -> Data {
        var text = String(decoding: removing(from: contents), as: UTF8.self)
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += ([begin] + commands(for: kind) + [end]).joined(separator: "\n") + "\n"
        return Data(text.utf8)
    }

    /// `contents` without the added lines, as it was before they were added (but for a final
    /// newline, which `adding` gives a hook that lacked one).
    static func removing(from contents: Data) -> Data {
        let lines = String(decoding: contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.firstIndex(where: { $0 == begin }),
              let last = lines[first...].firstIndex(where: { $0 == end }) else { return contents }
        // A hook that did not end with a newline gets one back with the lines taken out.
        let kept = Array(lines[..<first]) + Array(lines[(last + 1)...])
        return Data(kept.joined(separator: "\n").utf8)
    }
}
