import CommitBridgeCore
import Foundation
import GitKit
import TrackerClient

/// `doctor`: checks the repository, the configuration, the token (`GET /me`), the installed hooks
/// and the queue, each problem with its fix.
public enum DoctorService {
    /// One finding.
    public struct Check: Sendable, Hashable {
        public enum Level: Sendable, Hashable {
            /// Fine.
            case ok
            /// Worth knowing; does not change the exit status.
            case note
            /// Something to fix (`fix` says how); doctor exits 2.
            case problem
        }

        public let level: Level
        public let text: String
        public let fix: String?
    }

    /// The delivery options doctor's requests use: a shorter timeout.
    private static func options(_ configuration: Configuration) -> DeliveryOptions {
        var options = configuration.delivery
        options.requestTimeout = 15
        return options
    }

    /// Every check, in order; they stop early when the configuration cannot be read.
    public static func run(_ inputs: ConfigurationInputs) async throws -> [Check] {
        var checks: [Check] = []
        func ok(_ text: String) { checks.append(Check(level: .ok, text: text, fix: nil)) }
        func note(_ text: String) { checks.append(Check(level: .note, text: text, fix: nil)) }
        func problem(_ text: String, fix: String) { checks.append(Check(level: .problem, text: text, fix: fix)) }

        let repository = try Workspace.openRepository(inputs.repositoryPath)
        ok("repository \(repository.workingDirectory ?? repository.gitDirectory)\(repository.isBare ? " (bare)" : "")\(repository.isShallow ? " (shallow clone)" : "")")
        if repository.hasCommitGraph {
            ok("commit-graph file found: long replays and dry runs take parents and dates from it")
        } else {
            // Not a problem (the exit status does not change), but the largest speed-up there is for
            // a long history.
            note("no commit-graph file: a replay of a long history reads every commit first; "
                + "'git commit-graph write --reachable' writes one (so does git's maintenance)")
        }
        let configuration: Configuration
        do {
            configuration = try ConfigurationLoader().load(inputs, repository: repository)
        } catch let error as CommitBridgeError {
            problem(error.localizedDescription, fix: "correct the value named above (flag, environment variable or git config)")
            return checks
        }
        if let path = inputs.tokenFile, let exposure = ConfigurationLoader.exposure(tokenFile: path) {
            problem(exposure.problem, fix: exposure.fix)
        }
        let origins = SettingOrigins(repository: repository)
        // URLs are shown without their user information: a password in one is never printed.
        let trackerURL = RemoteSafeText.redactingCredentials(configuration.tracker.value.baseURL)
        ok("tracker URL \(trackerURL) (from \(origins.describe(configuration.tracker.source, flag: "--tracker-url", variable: "TRACKER_URL", key: "commitbridge.trackerUrl")))")
        if let template = configuration.commitURLTemplate {
            ok("commit URL template \(RemoteSafeText.redactingCredentials(template.value)) (from \(origins.describe(template.source, flag: "--commit-url", variable: "COMMITBRIDGE_COMMIT_URL", key: "commitbridge.commitUrl")))")
        } else {
            let derived = CommitURLBuilder(template: nil, remoteURL: try? repository.remoteURL(named: "origin")).template
            ok("commit URL " + (derived.map { "derived from origin: \(RemoteSafeText.redactingCredentials($0))" } ?? "left out (no template, and origin is not a known forge)"))
        }
        ok("state directory \(configuration.stateDirectory.value) (from \(origins.describe(configuration.stateDirectory.source, flag: "--state-dir", variable: "COMMITBRIDGE_STATE_DIR", key: nil)))")
        ok("branches " + (configuration.branches.value.isEmpty ? "all" : configuration.branches.value.joined(separator: ", ")
            + " (from \(origins.describe(configuration.branches.source, flag: "--branch", variable: nil, key: "commitbridge.branches")))"))
        let postOn = PostOn.setting(of: repository, events: { _ in })
        if !repository.isBare {
            ok("a commit is posted when it is \(postOn == .push ? "pushed" : "made") (commitbridge.postOn = \(postOn.rawValue)\(origins.file(of: "commitbridge.postOn").map { ", \($0)" } ?? ""))")
        }

        if let token = configuration.token {
            ok("token set (from \(origins.describe(token.source, flag: "--token-file", variable: "TRACKER_TOKEN", key: "commitbridge.token")))")
            do {
                let name = try await TrackerSession.with(configuration.with(delivery: options(configuration))) { api in try await api.me() }
                ok("Tracker answers GET /me: the token belongs to \(name)")
            } catch let error as TrackerRequestError {
                if error.isAuthenticationFailure {
                    problem("the token was refused: \(error)", fix: "copy the API token from your Tracker profile page into TRACKER_TOKEN or --token-file")
                } else {
                    problem("cannot use \(trackerURL): \(error)", fix: "check the tracker URL and that this machine can reach it")
                }
            }
            // Authors' own tokens: who has one (never the token), and whom Tracker says it belongs to.
            for (email, authorToken) in configuration.authorTokens.sorted(by: { $0.key < $1.key }) {
                var single = configuration.with(delivery: options(configuration))
                single.authorTokens = [email: authorToken]
                do {
                    let name = try await TrackerSession.withAuthors(single) { apis in try await apis[email]!.me() }
                    ok("author \(TerminalSafeText.line(email, limit: 120)) has a token of their own (from \(authorToken.source.rawValue)); it belongs to \(name)")
                } catch let error as TrackerRequestError {
                    problem("the token of author \(TerminalSafeText.line(email, limit: 120)) was refused: \(error)",
                            fix: "correct that author's token (git config commitbridge.token.<email>, or the commitbridge.authorTokens file)")
                }
            }
        } else {
            problem("no token set", fix: "set TRACKER_TOKEN, pass --token-file FILE, or run 'git config commitbridge.token <token>' (dry runs need none)")
        }

        let managers = HookManagers(repository: repository)
        let ciOnly = HookManagers.runsInCI(ProcessInfo.processInfo.environment)
        for (kind, status) in try InstallService.statuses(repository) {
            if kind == .prePush && postOn == .commit {
                ok("pre-push hook not needed (commitbridge.postOn = commit)")
                continue
            }
            switch status {
            case .installed: ok("\(kind.rawValue) hook installed")
            case .installedChained(let original): ok("\(kind.rawValue) hook installed, chaining \(original)")
            case .foreign, .absent:
                if let manager = managers.runner(of: kind.rawValue) {
                    if status == .foreign {
                        ok("\(kind.rawValue) hook runs commitbridge through \(manager)")
                    } else {
                        problem("\(kind.rawValue) hook: \(manager) runs commitbridge, but git has no \(kind.rawValue) hook (the manager's hooks are not installed)",
                                fix: HookManagers.installCommand(for: kind.rawValue, manager: manager))
                    }
                } else if ciOnly {
                    note("\(kind.rawValue) hook not installed: as expected on a CI runner, where 'commitbridge ci' posts")
                } else if let manager = managers.present.first {
                    problem("\(kind.rawValue) hook: \(manager) manages this repository's hooks, and its \(kind.rawValue) hook does not run commitbridge",
                            fix: HookManagers.snippet(for: kind.rawValue, manager: manager))
                } else if status == .foreign {
                    problem("\(kind.rawValue) hook belongs to another tool", fix: "run 'commitbridge install' to chain it")
                } else {
                    problem("\(kind.rawValue) hook not installed", fix: "run 'commitbridge install'")
                }
            }
        }

        let (store, warnings) = try StateDirectory.open(configuration)
        warnings.forEach { problem($0, fix: "nothing to do: the damaged file was set aside") }
        let waitingForPush = try store.queued().filter(\.awaitingPush).count
        if waitingForPush > 0 {
            ok("\(waitingForPush) commit\(waitingForPush == 1 ? "" : "s") queued, to be posted once pushed")
        }
        let queued = try store.queueCount() - waitingForPush
        if queued == 0 {
            ok("queue empty; \(try store.ledgerCount()) commits delivered")
        } else {
            problem("\(queued) commit\(queued == 1 ? "" : "s") waiting" + ((try store.lastError()).map { "; last error: \($0)" } ?? ""),
                    fix: "fix what the error says, then run 'commitbridge flush'")
        }
        return checks
    }
}
