import ArgumentParser
import CommitBridgeServices
import Foundation

// The commands: each one parses its flags, calls one service and renders what the service returns
// through `Printer`. Errors go up to `Entry`, which maps them to exit codes.

/// `commitbridge`: posts git commits that reference Tracker stories to the Tracker API.
struct CommitBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commitbridge",
        abstract: "Post git commits that reference Pivotal Tracker stories to a Tracker v5 API, exactly once.",
        usage: "commitbridge [-C <path>] <subcommand> [options]",
        discussion: """
        -C <path> before or after the subcommand runs as if started in <path>, as with git. \
        Every command takes --quiet (only errors, warnings and problems on stderr) and --verbose \
        (more detail); status, flush, replay, ci and explain take --json (see docs/json.md).

        Exit codes: 0 done (or nothing to do), 1 some commits are queued undelivered, \
        2 usage or configuration error, 3 not a git repository or a bad revision.
        """,
        version: CommitBridgeVersion.current,
        subcommands: [ParseCommand.self, ReplayCommand.self, FlushCommand.self, StatusCommand.self, HookCommand.self,
                      InstallCommand.self, UninstallCommand.self, CICommand.self, DoctorCommand.self, ExplainCommand.self]
    )
}

/// `commitbridge replay <range>`: backfills history that was never posted.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Post the tagged commits of a range, oldest first, each exactly once.",
        discussion: """
        <range> takes what git rev-list takes: a..b, a...b, ^a b, one revision (all its ancestors), \
        a^! (a alone), a^- or a^-n (a^n..a), a^@ (a's parents), --not (turns round the arguments after it), \
        --all, --branches[=glob], --tags[=glob], --remotes[=glob]. Replace refs (git replace) are honoured.
        """
    )

    /// The revision arguments in the order given, the rev-list options among them (`--not`, `--all`,
    /// ...) included; replay's own flags are taken out wherever they stand.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Revisions, as git rev-list reads them.", valueName: "range"))
    var revisions: [String] = []

    @Flag(name: .long, help: "Send nothing that changes Tracker; show what would be posted.")
    var dryRun = false

    @Flag(name: .long, help: "JSON on stdout, nothing else: with --dry-run one object per commit, else one document summing up the delivery.")
    var json = false

    @Flag(name: .long, help: "Post merge commits too.")
    var merges = false

    @Flag(name: .long, help: "With --dry-run: look nothing up on Tracker, even with a token.")
    var offline = false

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if revisions.isEmpty {
            throw ValidationError("give a range, e.g. 'commitbridge replay origin/main..HEAD --dry-run'")
        }
        // An option that is neither replay's nor a rev-list one git's way is a usage error, as before.
        for option in revisions where option.hasPrefix("-") {
            do {
                _ = try RevisionRange.Argument(parsing: option)
            } catch {
                throw ValidationError("\(error); replay takes --not, --all, --branches, --tags and --remotes among the revisions")
            }
        }
    }

    func run() async throws {
        let printer = output.printer(json: json)
        let service = try ReplayService(config.inputs(delivery), options: PlanningOptions(includeMerges: merges), events: printer.events)
        let range = try RevisionRange(parsing: revisions)
        if dryRun {
            printer.note(try await service.dryRun(range, predict: !json && !offline).line)
        } else {
            try printer.finish(try await service.deliver(range), command: "replay")
        }
    }
}

/// `commitbridge ci`: posts what a CI run after a push or merge brought.
struct CICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        abstract: "Post the commits of this CI run (GitHub Actions and GitLab CI are detected; else --range).",
        discussion: "A shallow clone is deepened with 'git fetch --deepen' until the push's previous tip is in it, up to --deepen commits."
    )

    @Option(name: .long, help: "The range to post, as git rev-list takes it (overrides detection).")
    var range: String?

    @Option(name: .long, help: "Branch glob to post (repeatable; default: commitbridge.branches, else all).")
    var branch: [String] = []

    @Option(name: .long, help: "Commits a shallow clone may be deepened by, at most (commitbridge.deepen; default 1000).")
    var deepen: Int?

    @Flag(name: .long, help: "Send nothing; show what would be posted.")
    var dryRun = false

    @Flag(name: .long, help: "JSON on stdout, nothing else: with --dry-run one object per commit, else one document summing up the run.")
    var json = false

    @Flag(name: .long, help: "With --dry-run: look nothing up on Tracker, even with a token.")
    var offline = false

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if offline && !dryRun { throw ValidationError("--offline goes with --dry-run") }
        if let deepen, deepen < 0 { throw ValidationError("--deepen takes a number of commits, 0 or more") }
    }

    func run() async throws {
        let printer = output.printer(json: json)
        let mode: CIService.Mode = dryRun ? .dryRun(predict: !json && !offline) : .deliver
        let outcome = try await CIService.run(config.inputs(delivery, branches: branch), explicitRange: range, mode: mode,
                                              deepen: deepen, events: printer.events)
        printer.writeStepSummary(outcome)
        switch outcome {
        case .nothing(let reason):
            printer.note("nothing to post: \(reason)")
            if !dryRun { printer.nothingToPost(reason, command: "ci") }
        case .dryRun(let summary, _): printer.note(summary.line)
        case .delivered(let report, let facts): try printer.finish(report, command: "ci", facts: facts)
        }
    }
}

/// `commitbridge flush`: delivers what is queued.
struct FlushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush",
        abstract: "Deliver the commits waiting in the queue."
    )

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "One JSON document on stdout summing up the delivery, nothing else.")
    var json = false

    @Flag(name: .long, help: .hidden)
    var background = false

    @Option(name: .long, help: .hidden)
    var heldLock: Int32?

    func run() async throws {
        let printer = output.printer(json: json)
        if background {
            // A hook's background delivery: its settings come on stdin, whole, from the hook.
            let job = FileHandle.standardInput.readDataToEndOfFile()
            try await FlushService.deliverInBackground(job: job, heldLock: heldLock, events: printer.events)
            return
        }
        switch try await FlushService.run(config.inputs(delivery), events: printer.events) {
        case .delivered(let report): try printer.finish(report, command: "flush")
        case .nothing(let reason): printer.nothingToPost(reason, command: "flush")
        }
    }
}

/// `commitbridge status`: the queue, the ledger and the story cache.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue, the ledger and the story cache."
    )

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "One JSON document on stdout: the state directory and each tracker's counts.")
    var json = false

    func run() throws {
        let printer = output.printer(json: json)
        let (directory, trackers) = try StatusService.run(config.inputs(), events: printer.events)
        printer.show(stateDirectory: directory, trackers)
    }
}

/// `commitbridge explain <commit>…`: whether each commit was, will be or will not be posted, and why.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say whether each commit was, will be or will not be posted, and why.",
        discussion: """
        One line per commit: its id, posted / will post / will not post, and the reason (delivered on \
        <date>, already on Tracker, rewritten from <commit>, merge, no reference, stories missing, \
        branch filter, not pushed yet, queued with its last error, not queued). With --json, one \
        object per line: {"commit", "subject", "verdict", "reason", "detail", "original"}. Reads the \
        state directory and the repository only; asks Tracker nothing.
        """
    )

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "One JSON object per commit, one per line.")
    var json = false

    @Argument(help: "Commits (any revision git understands: an id, HEAD~2, a branch).")
    var commits: [String] = []

    func validate() throws {
        if commits.isEmpty { throw ValidationError("name at least one commit") }
    }

    func run() throws {
        let printer = output.printer(json: json)
        printer.show(try ExplainService.run(config.inputs(), commits: commits, events: printer.events))
    }
}

/// `commitbridge doctor`: checks configuration, token, reachability, hooks and queue.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check configuration, token (GET /me), reachability, installed hooks and the queue.",
        discussion: "Exit 0 when every check passes, 2 when a problem was found; a note (such as a missing commit-graph file) does not change it. The token is shown only as set or unset."
    )

    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "One JSON document: {\"ok\": Bool, \"checks\": [{\"level\", \"text\", \"fix\"}]}.")
    var json = false

    func run() async throws {
        let checks = try await DoctorService.run(config.inputs())
        // --quiet keeps the problems (each with its fix) and drops the ok lines and notes.
        output.printer(json: json).show(output.quiet && !json ? checks.filter { $0.level == .problem } : checks)
        if checks.contains(where: { $0.level == .problem }) { throw CommitBridgeError.reported(refusal: false) }
    }
}

/// `commitbridge parse [--json]`: shows what Tracker will see in one message read from stdin.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read one commit message on stdin and show its story references and warnings."
    )

    @Flag(name: .long, help: "Print one JSON object: {\"references\":[{\"story\":N,\"action\":\"…\"}],\"warnings\":[…]}.")
    var json = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let message = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let result = TagParser().parse(message)
        if json {
            StandardStreams.out(json: ReferenceJSON.parseOutput(result).serialized())
            return
        }
        if result.references.isEmpty {
            StandardStreams.out("no story references: this message would not be posted")
        }
        for reference in result.references {
            StandardStreams.out("#\(reference.story) \(reference.action.rawValue)")
        }
        for warning in result.warnings {
            StandardStreams.err("warning: \(warning)")
        }
    }
}

/// `commitbridge install`: puts the hook scripts in place, chaining any hook already there.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the git hooks (default: post-commit and commit-msg in a work tree, post-receive in a bare repository).",
        discussion: "An existing hook of another tool is kept and chained; core.hooksPath is honoured; installing twice changes nothing."
    )

    @OptionGroup var selection: HookSelection
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repositoryPath: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let lines = try InstallService.install(selection.hooks, repositoryPath: repositoryPath)
        if !output.quiet { lines.forEach { StandardStreams.out($0) } }
    }
}

/// `commitbridge uninstall`: removes commitbridge's hooks and restores what was there before.
struct UninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove commitbridge's hooks, restoring any hook they had chained."
    )

    @OptionGroup var selection: HookSelection
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repositoryPath: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let lines = try InstallService.uninstall(selection.hooks, repositoryPath: repositoryPath)
        if !output.quiet { lines.forEach { StandardStreams.out($0) } }
    }
}

/// `commitbridge hook …`: what the installed hook scripts run.
struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run as a git hook (the scripts that 'commitbridge install' puts in place call these).",
        subcommands: [PostCommitHookCommand.self, PrePushHookCommand.self, PostReceiveHookCommand.self, CommitMsgHookCommand.self]
    )
}

/// `commitbridge hook post-commit`: queues the new commit when it is tagged and delivers it in the
/// background. The installed script starts this in the background itself (`--commit <id> --background`),
/// so that `git commit` waits only for a shell and one `git rev-parse`.
struct PostCommitHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "post-commit", abstract: "Queue and deliver the commit just made.")

    @OptionGroup var hook: HookFlags
    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "The commit to queue (default: HEAD).")
    var commit: String = "HEAD"

    @Flag(name: .long, help: "Running detached from git: write problems to <state directory>/delivery.log instead of stderr.")
    var background = false

    func run() async throws {
        try await HookService.postCommit(config.inputs(delivery), revision: commit, strict: hook.strict, foreground: hook.foreground,
                                         logging: background, events: output.printer().events)
    }
}

/// `commitbridge hook pre-push <remote> <url>`: reads git's `<local ref> <local sha> <remote ref>
/// <remote sha>` lines and starts a background delivery that waits for the push to end, then posts
/// what it put on the remote. Returns at once and never stops the push.
struct PrePushHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pre-push", abstract: "Post the pushed commits once the push has ended.")

    @OptionGroup var hook: HookFlags
    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "The git push process to wait for (the hook script passes its parent).")
    var gitPid: Int32?

    @Argument(help: "The remote's name (git passes it).")
    var remote: String = ""

    @Argument(help: "The remote's URL (git passes it).")
    var url: String = ""

    func run() async throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        try await HookService.prePush(config.inputs(delivery), remote: remote.isEmpty ? url : remote, input: input,
                                      gitProcess: gitPid, strict: hook.strict, events: output.printer().events)
    }
}

/// `commitbridge hook post-receive`: reads `<old> <new> <ref>` lines and queues what the push brought.
struct PostReceiveHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "post-receive", abstract: "Queue and deliver the commits a push brought in.")

    @OptionGroup var hook: HookFlags
    @OptionGroup var config: ConfigurationOptions
    @OptionGroup var delivery: DeliveryFlags
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Branch glob to post (repeatable; default: commitbridge.branches, else all).")
    var branch: [String] = []

    func run() async throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        try await HookService.postReceive(config.inputs(delivery, branches: branch), input: input, strict: hook.strict,
                                          foreground: hook.foreground, events: output.printer().events)
    }
}

/// `commitbridge hook commit-msg <file>`: warns about near-miss tags before the commit exists.
/// The installed hook prefers the small `commitbridge-commit-msg` binary, which runs the same check.
struct CommitMsgHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "commit-msg", abstract: "Warn about near-miss story tags in a message being committed.")

    @Argument(help: "The file holding the message (git passes it).")
    var file: String

    @Flag(name: .long, help: "Refuse the commit when there are warnings.")
    var strict = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let bytes = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
        let check = CommitMessageCheck(fileBytes: bytes, path: file, strict: strict)
        check.lines.forEach { StandardStreams.err($0) }
        if check.refuses { throw CommitBridgeError.reported(refusal: true) }
    }
}
