/// A hook could neither queue its commits nor keep them in the spill file: they exist only in git
/// now, and `commitbridge replay` must be run over them.
public struct HookQueueFailure: Error, Sendable, Hashable {
    /// The commits that were neither queued nor kept.
    public let shas: [String]
    /// Why the database did not take them, and why the spill file did not, one line.
    public let problem: String

    public init(shas: [String], problem: String) {
        self.shas = shas
        self.problem = problem
    }
}
