import CommitBridgeCore
import Foundation
import GitKit

/// The settings in force for one run, each with where it came from.
public struct Configuration: Sendable {
    /// Tracker's public API, used when nothing else is configured.
    public static let defaultTrackerURL = "https://www.pivotaltracker.com/services/v5"

    public let tracker: ResolvedSetting<TrackerEndpoint>
    /// nil when no token is configured anywhere (a dry run needs none).
    public let token: ResolvedSetting<TrackerToken>?
    /// The commit URL template, or nil to derive it from `origin`.
    public let commitURLTemplate: ResolvedSetting<String>?
    /// Branch glob patterns for post-receive and ci; empty means all branches.
    public let branches: ResolvedSetting<[String]>
    public let stateDirectory: ResolvedSetting<String>
    /// How deliveries talk to Tracker.
    public let delivery: DeliveryOptions
    /// Problems that do not stop the run (a token file others can read), one line each.
    public let warnings: [String]
    /// The repository's git directory, when the run has one: delivery reads commits from it to
    /// tell a rewritten commit from a new change, and to see what was pushed.
    public var gitDirectory: String?
    /// Tokens of their own for commit authors, by lower-cased e-mail address: a commit is posted
    /// with its author's token, else with `token`.
    public var authorTokens: [String: ResolvedSetting<TrackerToken>] = [:]

    public init(tracker: ResolvedSetting<TrackerEndpoint>, token: ResolvedSetting<TrackerToken>?,
                commitURLTemplate: ResolvedSetting<String>?, branches: ResolvedSetting<[String]>,
                stateDirectory: ResolvedSetting<String>, delivery: DeliveryOptions = DeliveryOptions(),
                warnings: [String] = []) {
        self.tracker = tracker
        self.token = token
        self.commitURLTemplate = commitURLTemplate
        self.branches = branches
        self.stateDirectory = stateDirectory
        self.delivery = delivery
        self.warnings = warnings
    }

    /// One line a setting, with where it came from (for `--verbose`); never the token itself.
    public var settingLines: [String] {
        func from(_ source: SettingSource) -> String {
            switch source {
            case .flag: return "(from the command line)"
            case .environment: return "(from the environment)"
            case .gitConfig: return "(from git config)"
            case .defaultValue: return "(the default)"
            }
        }
        var lines = ["tracker URL: \(RemoteSafeText.redactingCredentials(tracker.value.baseURL)) \(from(tracker.source))",
                     "token: " + (token.map { "set \(from($0.source))" } ?? "not set")]
        lines.append("commit URL template: " + (commitURLTemplate.map { "\($0.value) \(from($0.source))" } ?? "derived from the origin remote"))
        lines.append("branches: " + (branches.value.isEmpty ? "all" : branches.value.joined(separator: ", ")) + " \(from(branches.source))")
        lines.append("state directory: \(stateDirectory.value) \(from(stateDirectory.source))")
        func seconds(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
        lines.append("delivery: concurrency \(delivery.concurrency), timeout \(seconds(delivery.requestTimeout)) s, "
                     + "cache TTL \(seconds(delivery.cacheTimeToLive)) s (command-line flags, else the defaults)")
        if !authorTokens.isEmpty {
            lines.append("authors with tokens of their own: \(authorTokens.keys.sorted().joined(separator: ", "))")
        }
        return lines
    }

    /// The same settings with other delivery options.
    public func with(delivery options: DeliveryOptions) -> Configuration {
        var copy = Configuration(tracker: tracker, token: token, commitURLTemplate: commitURLTemplate, branches: branches,
                                 stateDirectory: stateDirectory, delivery: options, warnings: warnings)
        copy.gitDirectory = gitDirectory
        copy.authorTokens = authorTokens
        return copy
    }
}

/// The raw settings a command was given on its command line; nil means "not given". A service
/// resolves them (with the environment and git config) into a `Configuration`.
public struct ConfigurationInputs: Sendable, Hashable {
    /// `-C <path>`: a path inside the repository, or nil for `GIT_DIR` / the current directory.
    public var repositoryPath: String?
    public var trackerURL: String?
    public var tokenFile: String?
    public var commitURL: String?
    public var branches: [String]
    public var stateDirectory: String?
    public var allowInsecureHTTP: Bool
    public var delivery: DeliveryOptions

    public init(repositoryPath: String? = nil, trackerURL: String? = nil, tokenFile: String? = nil, commitURL: String? = nil,
                branches: [String] = [], stateDirectory: String? = nil, allowInsecureHTTP: Bool = false,
                delivery: DeliveryOptions = DeliveryOptions()) {
        self.repositoryPath = repositoryPath
        self.trackerURL = trackerURL
        self.tokenFile = tokenFile
        self.commitURL = commitURL
        self.branches = branches
        self.stateDirectory = stateDirectory
        self.allowInsecureHTTP = allowInsecureHTTP
        self.delivery = delivery
    }
}

/// How a delivery run talks to Tracker.
public struct DeliveryOptions: Sendable, Hashable, Codable {
    /// Requests in flight at most.
    public var concurrency: Int
    /// Seconds a cached story look-up stays valid.
    public var cacheTimeToLive: Double
    /// Seconds one request may take.
    public var requestTimeout: Double
    /// Ask Tracker again about stories it said do not exist, without waiting for that answer to
    /// pass the cache's time-to-live.
    public var retryMissing: Bool
    /// Post a commit even when its change was delivered already under another commit id (a
    /// rebase, amend or cherry-pick), `--post-rewritten`.
    public var postRewritten: Bool

    /// The longest request timeout taken: one request that needs more than an hour is a hang, and
    /// the HTTP library stops the process on a deadline it cannot represent.
    public static let maximumTimeout: Double = 3600

    public init(concurrency: Int = 4, cacheTimeToLive: Double = 3600, requestTimeout: Double = 30,
                retryMissing: Bool = false, postRewritten: Bool = false) {
        self.postRewritten = postRewritten
        self.concurrency = concurrency
        self.cacheTimeToLive = cacheTimeToLive
        self.requestTimeout = requestTimeout
        self.retryMissing = retryMissing
    }

    /// What is wrong with these options, in the words of their flags; nil when nothing is.
    public var problem: String? {
        guard (1...64).contains(concurrency) else { return "--concurrency takes 1 to 64" }
        // `inf` and `nan` parse as numbers: refused here, before any library sees them.
        guard cacheTimeToLive.isFinite, cacheTimeToLive >= 0 else {
            return "--cache-ttl takes a finite number of seconds, 0 or more"
        }
        guard requestTimeout.isFinite, requestTimeout > 0, requestTimeout <= Self.maximumTimeout else {
            return "--timeout takes a number of seconds above 0 and at most \(Int(Self.maximumTimeout))"
        }
        return nil
    }
}

/// The repository a command works on and the configuration resolved for it: what every service
/// starts from.
struct Workspace: Sendable {
    let repository: Repository
    let configuration: Configuration

    /// Opens the repository of `inputs.repositoryPath` and resolves the configuration; its warnings
    /// go to `events`.
    static func open(_ inputs: ConfigurationInputs, events: EventSink,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Workspace {
        let repository = try openRepository(inputs.repositoryPath)
        var configuration = try ConfigurationLoader(environment: environment).load(inputs, repository: repository)
        configuration.gitDirectory = repository.gitDirectory
        configuration.warnings.forEach { events(.warning($0)) }
        configuration.settingLines.forEach { events(.detail($0)) }
        return Workspace(repository: repository, configuration: configuration)
    }

    /// Opens the repository containing `path`; libgit2's failure is exit code 3. A repository git's
    /// ownership check refuses (libgit2 then finds no repository at all) is a configuration error
    /// naming the `safe.directory` setting to add, never "not a git repository".
    static func openRepository(_ path: String?) throws -> Repository {
        do {
            return try Repository.discover(at: path)
        } catch let error as GitError {
            if error.kind == .notOwned || error.kind == .notARepository,
               let place = unownedRepository(from: path ?? ProcessInfo.processInfo.environment["GIT_DIR"] ?? FileManager.default.currentDirectoryPath) {
                throw CommitBridgeError.configuration(
                    "git refuses the repository at \(place): it belongs to another user (git's safe.directory check); "
                    + "if you trust it, run: git config --global --add safe.directory \(place)")
            }
            throw CommitBridgeError.notARepository(error.localizedDescription)
        }
    }

    /// The repository at or above `start` (a work tree holding `.git`, or a bare repository), when
    /// one is there and belongs to a user other than this process's; nil otherwise.
    static func unownedRepository(from start: String) -> String? {
        var directory = URL(fileURLWithPath: start).standardizedFileURL.path
        let files = FileManager.default
        while true {
            let isWorkTree = files.fileExists(atPath: directory + "/.git")
            let isBare = files.fileExists(atPath: directory + "/HEAD") && files.fileExists(atPath: directory + "/objects")
            if isWorkTree || isBare {
                var info = stat()
                guard stat(directory, &info) == 0 else { return nil }
                return info.st_uid == geteuid() ? nil : directory
            }
            guard directory != "/", !directory.isEmpty else { return nil }
            directory = (directory as NSString).deletingLastPathComponent
        }
    }
}
