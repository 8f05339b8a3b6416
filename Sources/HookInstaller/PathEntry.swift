import Foundation

/// What occupies a path in the hooks directory.
enum PathEntry: Equatable {
    /// Nothing, not even a broken symbolic link.
    case missing
    /// A regular file, or a symbolic link to one: its contents and permission bits.
    case file(contents: Data, mode: mode_t)
    /// A symbolic link whose target does not exist.
    case brokenLink
    /// A directory, socket, or anything else that cannot be a hook script.
    case notAFile
}
