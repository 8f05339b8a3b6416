import ArgumentParser
import CommitBridgeKit

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

    var inputs: ConfigurationInputs {
        ConfigurationInputs(trackerURL: trackerUrl, tokenFile: tokenFile, commitURL: commitUrl,
                            branches: [], stateDirectory: stateDir, allowInsecureHTTP: allowInsecureHttp)
    }
}
