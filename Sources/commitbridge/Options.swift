import ArgumentParser
import CommitBridgeServices

/// Flags shared by every command that reads a repository and its settings.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repositoryPath: String?

    @Option(name: .long, help: "Tracker API base URL (TRACKER_URL, commitbridge.trackerUrl).")
    var trackerUrl: String?

    @Option(name: .long, help: "File holding the API token (else TRACKER_TOKEN, commitbridge.token).")
    var tokenFile: String?

    @Option(name: .long, help: "Commit URL template with {sha} (COMMITBRIDGE_COMMIT_URL, commitbridge.commitUrl).")
    var commitUrl: String?

    @Option(name: .long, help: "State directory (COMMITBRIDGE_STATE_DIR; default <git common dir>/commitbridge).")
    var stateDir: String?

    @Flag(name: .long, help: "Allow a plain http:// tracker URL that is not on loopback.")
    var allowInsecureHttp = false

    /// The command line's settings, with the delivery options and branches of the command.
    func inputs(_ delivery: DeliveryFlags? = nil, branches: [String] = []) -> ConfigurationInputs {
        ConfigurationInputs(repositoryPath: repositoryPath, trackerURL: trackerUrl, tokenFile: tokenFile, commitURL: commitUrl,
                            branches: branches, stateDirectory: stateDir, allowInsecureHTTP: allowInsecureHttp,
                            delivery: delivery?.options ?? DeliveryOptions())
    }
}

/// Flags for commands that talk to Tracker.
struct DeliveryFlags: ParsableArguments {
    @Option(name: .long, help: "Requests in flight at most.")
    var concurrency: Int = 4

    @Option(name: .long, help: "Seconds a cached story look-up stays valid.")
    var cacheTtl: Double = 3600

    @Option(name: .long, help: "Seconds one request may take.")
    var timeout: Double = 30

    @Flag(name: .long, help: "Ask Tracker again now about stories it said do not exist (else after --cache-ttl).")
    var retryMissing = false

    @Flag(name: .long, help: "Post commits whose change was delivered already as another commit (rebased, amended, cherry-picked).")
    var postRewritten = false

    func validate() throws {
        if let problem = options.problem { throw ValidationError(problem) }
    }

    var options: DeliveryOptions {
        DeliveryOptions(concurrency: concurrency, cacheTimeToLive: cacheTtl, requestTimeout: timeout, retryMissing: retryMissing,
                        postRewritten: postRewritten)
    }
}

/// Flags every hook takes.
struct HookFlags: ParsableArguments {
    @Flag(name: .long, help: "Fail (exit non-zero) on problems instead of warning; a hook never blocks git otherwise.")
    var strict = false

    @Flag(name: .long, help: "Deliver before returning, instead of in a background process.")
    var foreground = false
}

/// Which hooks `install` / `uninstall` act on.
struct HookSelection: ParsableArguments {
    @Flag(name: .long, help: "The post-commit hook.") var postCommit = false
    @Flag(name: .long, help: "The pre-push hook.") var prePush = false
    @Flag(name: .long, help: "The post-receive hook.") var postReceive = false
    @Flag(name: .long, help: "The commit-msg hook.") var commitMsg = false

    /// The hooks named, or nil when none was (each command has its default).
    var hooks: [InstallService.Hook]? {
        let chosen = [(postCommit, InstallService.Hook.postCommit), (prePush, .prePush), (postReceive, .postReceive), (commitMsg, .commitMsg)]
            .filter(\.0).map(\.1)
        return chosen.isEmpty ? nil : chosen
    }
}

/// How much a command says on stderr; every command takes these.
struct OutputOptions: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "Only errors, warnings and problems on stderr: no notes, summaries or progress.")
    var quiet = false

    @Flag(name: [.customShort("v"), .long], help: "More detail on stderr: where each setting came from, each commit as it is delivered.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose do not go together") }
    }

    /// The printer for a command, with `json` when the command writes JSON on stdout.
    func printer(json: Bool = false) -> Printer {
        Printer(json: json, quiet: quiet, verbose: verbose)
    }
}
