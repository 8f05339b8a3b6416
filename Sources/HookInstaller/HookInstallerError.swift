import Foundation

/// Why hooks could not be installed, removed or inspected. Each description is one line.
public enum HookInstallerError: Error, LocalizedError, Equatable, Sendable {
    /// The hook script to install is not in the scripts folder.
    case templateMissing(path: String)
    /// The hook script lacks a line the installer needs (marker, binary line, chain point).
    case templateInvalid(path: String, reason: String)
    /// The binary path to write into the hooks is not absolute, or holds a line break.
    case invalidBinaryPath(String)
    /// `core.hooksPath` is set to the empty string, which git reads as the file-system root.
    case emptyHooksPath
    /// Something that must be a directory (the hooks directory or one of its parents) is not.
    case notADirectory(path: String)
    /// The hooks directory cannot be written to.
    case directoryNotWritable(path: String)
    /// The hook's path is taken by a directory or another non-file.
    case hookNotAFile(path: String)
    /// A foreign hook should be chained, but the place it would be moved to is taken.
    case chainedHookInTheWay(hook: String, chained: String)
    /// A file operation failed.
    case fileOperationFailed(operation: String, path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .templateMissing(let path):
            return "hook script not found: \(path)"
        case .templateInvalid(let path, let reason):
            return "hook script \(path) cannot be installed: \(reason)"
        case .invalidBinaryPath(let path):
            return "the commitbridge binary path must be absolute and on one line: \(path.debugDescription)"
        case .emptyHooksPath:
            return "core.hooksPath is set but empty (git would look for hooks in '/'); set it to a directory or unset it"
        case .notADirectory(let path):
            return "not a directory: \(path)"
        case .directoryNotWritable(let path):
            return "hooks directory not writable: \(path)"
        case .hookNotAFile(let path):
            return "hook path is not a file: \(path)"
        case .chainedHookInTheWay(let hook, let chained):
            return "cannot keep the existing hook \(hook): \(chained) already exists; move one of them away"
        case .fileOperationFailed(let operation, let path, let reason):
            let flat = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
            return "cannot \(operation) \(path): \(flat)"
        }
    }
}
