import CommitBridgeCore
import Foundation
import GitKit

/// Resolves the configuration from flags, environment, git config and defaults.
struct ConfigurationLoader: Sendable {
    let environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Resolves every setting. Throws `CommitBridgeError.configuration` for a bad value,
    /// before anything is read from the history or sent anywhere.
    func load(_ inputs: ConfigurationInputs, repository: Repository) throws -> Configuration {
        let rawURL = ResolvedSetting.pick(
            flag: inputs.trackerURL,
            environment: environment["TRACKER_URL"],
            gitConfig: try gitConfig(repository, "commitbridge.trackerUrl"),
            fallback: Configuration.defaultTrackerURL
        )
        // Before anything can print it: a password in the URL is cleaned from every line from now on.
        if let password = RemoteSafeText.credential(in: rawURL.value) { SecretRedactor.register(password) }
        let endpoint: TrackerEndpoint
        do {
            endpoint = try TrackerEndpoint(validating: rawURL.value, allowInsecureHTTP: inputs.allowInsecureHTTP)
        } catch {
            throw CommitBridgeError.configuration("\(error) (from \(rawURL.source.rawValue))")
        }

        let token = try loadToken(inputs, repository: repository)
        let authorTokens = try loadAuthorTokens(repository)
        var warnings: [String] = []
        if let path = inputs.tokenFile, let warning = Self.exposureWarning(tokenFile: path) {
            warnings.append(warning)
        }

        let template = ResolvedSetting<String>.pick(
            flag: inputs.commitURL,
            environment: environment["COMMITBRIDGE_COMMIT_URL"],
            gitConfig: try gitConfig(repository, "commitbridge.commitUrl"),
            fallback: ""
        )
        if let password = RemoteSafeText.credential(in: template.value) { SecretRedactor.register(password) }
        if template.source != .defaultValue && !template.value.contains("{sha}") {
            throw CommitBridgeError.configuration("commit URL template '\(RemoteSafeText.redactingCredentials(template.value))' has no {sha} placeholder (from \(template.source.rawValue))")
        }

        let branches = try loadBranches(inputs, repository: repository)

        let stateDirectory = ResolvedSetting.pick(
            flag: inputs.stateDirectory,
            environment: environment["COMMITBRIDGE_STATE_DIR"],
            gitConfig: nil,
            // The common directory: a repository's linked worktrees share one state directory,
            // so a commit delivered from one of them is known to all.
            fallback: repository.commonDirectory + "/commitbridge"
        )

        var configuration = Configuration(
            tracker: ResolvedSetting(value: endpoint, source: rawURL.source),
            token: token,
            commitURLTemplate: template.source == .defaultValue ? nil : template,
            branches: branches,
            stateDirectory: stateDirectory,
            delivery: inputs.delivery,
            warnings: warnings
        )
        configuration.authorTokens = authorTokens
        return configuration
    }

    /// The branch globs: `--branch` flags, else `commitbridge.branches` (each value a list separated
    /// by commas or spaces), else none (every branch). A pattern git would match nothing with (an
    /// unclosed `[`, an empty one) is a configuration error naming it and where it came from.
    private func loadBranches(_ inputs: ConfigurationInputs, repository: Repository) throws -> ResolvedSetting<[String]> {
        func checked(_ patterns: [String], from origin: String) throws -> [String] {
            do {
                _ = try BranchFilter(validating: patterns)
            } catch {
                throw CommitBridgeError.configuration("\(error) (from \(origin))")
            }
            return patterns
        }
        if !inputs.branches.isEmpty {
            return ResolvedSetting(value: try checked(inputs.branches, from: "--branch"), source: .flag)
        }
        let values: [String]
        do {
            values = try repository.configStrings("commitbridge.branches")
        } catch let error as GitError {
            throw CommitBridgeError.configuration("cannot read git config 'commitbridge.branches': \(error.localizedDescription)")
        }
        if values.contains(where: { $0.allSatisfy { $0 == "," || $0 == " " || $0 == "\t" } }) {
            throw CommitBridgeError.configuration(
                "git config commitbridge.branches holds an empty value: give branch globs (e.g. 'main release/*'), or unset it for every branch")
        }
        let patterns = values.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init) }
        guard !patterns.isEmpty else { return ResolvedSetting(value: [], source: .defaultValue) }
        return ResolvedSetting(value: try checked(patterns, from: "git config commitbridge.branches"), source: .gitConfig)
    }

    /// A warning when users other than the owner may read the token file (like ssh does for keys).
    static func exposureWarning(tokenFile path: String) -> String? {
        exposure(tokenFile: path).map { "\($0.problem): \($0.fix)" }
    }

    /// What is wrong with a token file others can read, and the fix, apart; nil when only its
    /// owner can.
    static func exposure(tokenFile path: String) -> (problem: String, fix: String)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let mode = info.st_mode & 0o777
        guard mode & 0o044 != 0 else { return nil }
        return ("token file '\(path)' can be read by other users (mode \(String(mode, radix: 8)))", "run 'chmod 600 \(path)'")
    }

    private func loadToken(_ inputs: ConfigurationInputs, repository: Repository) throws -> ResolvedSetting<TrackerToken>? {
        if let path = inputs.tokenFile {
            let contents: String
            do {
                contents = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CommitBridgeError.configuration("cannot read token file '\(path)'")
            }
            switch try Self.token(contents, from: "token file '\(path)'") {
            case .some(let token): return ResolvedSetting(value: token, source: .flag)
            case .none: throw CommitBridgeError.configuration("token file '\(path)' is empty")
            }
        }
        if let raw = environment["TRACKER_TOKEN"], let token = try Self.token(raw, from: "the TRACKER_TOKEN variable") {
            return ResolvedSetting(value: token, source: .environment)
        }
        if let raw = try gitConfig(repository, "commitbridge.token"),
           let token = try Self.token(raw, from: "git config commitbridge.token") {
            return ResolvedSetting(value: token, source: .gitConfig)
        }
        return nil
    }

    /// Tokens of their own for commit authors, by lower-cased e-mail address: from the token file
    /// `commitbridge.authorTokens` names (`<email> <token>` per line, `#` comments; refused unless
    /// only its owner can read it), then `commitbridge.token.<email>` entries, which win.
    func loadAuthorTokens(_ repository: Repository) throws -> [String: ResolvedSetting<TrackerToken>] {
        var tokens: [String: ResolvedSetting<TrackerToken>] = [:]
        if let configured = try gitConfig(repository, "commitbridge.authorTokens"), !configured.isEmpty {
            let base = repository.workingDirectory ?? repository.gitDirectory
            let path = configured.hasPrefix("/") ? configured : (base as NSString).appendingPathComponent(configured)
            var info = stat()
            guard stat(path, &info) == 0, let data = FileManager.default.contents(atPath: path) else {
                throw CommitBridgeError.configuration("cannot read the author token file '\(path)' (git config commitbridge.authorTokens)")
            }
            if info.st_mode & 0o077 != 0 {
                throw CommitBridgeError.configuration(
                    "the author token file '\(path)' can be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); "
                    + "it is not used until only its owner can: run 'chmod 600 \(path)'")
            }
            let text = String(decoding: data, as: UTF8.self)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                if fields.isEmpty || fields[0].hasPrefix("#") { continue }
                let origin = "line \(index + 1) of the author token file '\(path)'"
                guard fields.count == 2, fields[0].contains("@") else {
                    if fields.count >= 2 { SecretRedactor.register(String(fields[1])) }
                    throw CommitBridgeError.configuration("\(origin) is not '<email> <token>'; the token is not shown")
                }
                if let token = try Self.token(String(fields[1]), from: origin) {
                    tokens[fields[0].lowercased()] = ResolvedSetting(value: token, source: .gitConfig)
                }
            }
        }
        let prefix = "commitbridge.token."
        do {
            for entry in try repository.configEntries(matching: "^commitbridge\\.token\\..+") {
                let email = entry.name.dropFirst(prefix.count).lowercased()
                guard email.contains("@") else { continue }
                if let token = try Self.token(entry.value, from: "git config \(entry.name)") {
                    tokens[email] = ResolvedSetting(value: token, source: .gitConfig)
                }
            }
        } catch let error as GitError {
            throw CommitBridgeError.configuration("cannot read git config 'commitbridge.token.*': \(error.localizedDescription)")
        }
        return tokens
    }

    /// The token of `raw`, registered with the redactor; nil when it is empty. A control character
    /// inside it is a configuration error naming `origin`, never the token.
    static func token(_ raw: String, from origin: String) throws -> TrackerToken? {
        do {
            let token = try TrackerToken(validating: raw)
            SecretRedactor.register(token.revealedForRequest)
            return token
        } catch .empty {
            return nil
        } catch .controlCharacter {
            SecretRedactor.register(raw.trimmingCharacters(in: .whitespacesAndNewlines))
            throw CommitBridgeError.configuration(
                "the token in \(origin) holds a control character (a line break, tab, NUL or the like): "
                + "a token is one line of printable text; the token is not shown")
        }
    }

    private func gitConfig(_ repository: Repository, _ key: String) throws -> String? {
        do {
            return try repository.configString(key)
        } catch let error as GitError {
            throw CommitBridgeError.configuration("cannot read git config '\(key)': \(error.localizedDescription)")
        }
    }
}
