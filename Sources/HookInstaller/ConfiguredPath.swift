import Foundation

/// Reads a path-valued git config entry (`core.hooksPath`) the way git 2.39 does.
enum ConfiguredPath {
    /// `value` made absolute: `~` and `~user` expanded as git does, then a relative path joined to `base`.
    static func resolve(_ value: String, relativeTo base: String) -> String {
        let expanded = expandingTilde(value)
        return tidy(expanded.hasPrefix("/") ? expanded : base + "/" + expanded)
    }

    /// `~/x` becomes `$HOME/x` and `~user/x` that user's home; anything else is returned unchanged.
    static func expandingTilde(_ value: String) -> String {
        guard value.hasPrefix("~") else { return value }
        let afterTilde = value.dropFirst()
        let user = afterTilde.prefix { $0 != "/" }
        let rest = afterTilde.dropFirst(user.count)
        let home: String?
        if user.isEmpty {
            home = ProcessInfo.processInfo.environment["HOME"]
        } else if let entry = getpwnam(String(user)), let directory = entry.pointee.pw_dir {
            home = String(cString: directory)
        } else {
            home = nil
        }
        guard let home else { return value }
        return home + rest
    }

    /// Drops empty and `.` components and a trailing slash; `..` is kept, as the kernel
    /// (not the text) decides where it leads when links are involved.
    static func tidy(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }
}
