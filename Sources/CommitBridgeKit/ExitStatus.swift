/// The documented exit codes.
public enum ExitStatus: Int32, Sendable {
    /// Everything delivered, or nothing to do.
    case success = 0
    /// Some commits could not be delivered and are queued.
    case undelivered = 1
    /// Usage or configuration error.
    case usage = 2
    /// Not a git repository, or a bad revision.
    case repository = 3
}
