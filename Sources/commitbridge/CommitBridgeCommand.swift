import ArgumentParser
import CommitBridgeCore

/// `commitbridge`: posts git commits that reference Tracker stories to the Tracker API.
struct CommitBridgeCommand: AsyncParsableCommand {
    static let version = CommitBridgeVersion.current

    static let configuration = CommandConfiguration(
        commandName: "commitbridge",
        abstract: "Post git commits that reference Pivotal Tracker stories to a Tracker v5 API, exactly once.",
        discussion: """
        Exit codes: 0 done (or nothing to do), 1 some commits are queued undelivered, \
        2 usage or configuration error, 3 not a git repository or a bad revision.
        """,
        version: version,
        subcommands: [ParseCommand.self, ReplayCommand.self, FlushCommand.self, StatusCommand.self, HookCommand.self, InstallCommand.self, UninstallCommand.self, CICommand.self, DoctorCommand.self]
    )
}
