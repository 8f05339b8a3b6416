import ArgumentParser

/// `commitbridge hook …`: what the installed hook scripts run.
struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run as a git hook (the scripts that 'commitbridge install' puts in place call these).",
        subcommands: [PostCommitHookCommand.self, PostReceiveHookCommand.self, CommitMsgHookCommand.self]
    )
}
