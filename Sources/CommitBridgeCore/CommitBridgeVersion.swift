/// The version reported by `--version` and in the `User-Agent` header.
public enum CommitBridgeVersion {
    public static let current = "0.2.0"
    /// `commitbridge/<version>`.
    public static var userAgent: String { "commitbridge/\(current) (+git hooks to Tracker)" }
}
