/// The paths of one hook: the script git runs, and where a foreign hook is kept when chained.
struct HookPlace: Sendable {
    let kind: HookKind
    /// The hooks directory.
    let directory: String
    /// `<directory>/<hook name>`.
    var path: String { directory + "/" + kind.rawValue }
    /// `<directory>/<hook name>.commitbridge-chained`.
    var chainedPath: String { path + HookTemplate.chainedSuffix }
}
