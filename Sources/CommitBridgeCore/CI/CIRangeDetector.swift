/// Works out which commits a CI run after a push or merge should post, from `--range` or from the
/// variables GitHub Actions and GitLab CI set. It reads nothing but the environment it is given and,
/// for GitHub, the event file through `readFile`.
public struct CIRangeDetector: Sendable {
    /// The note on a range that is a branch's whole history, because the push had no "before" commit.
    public static let newBranchNote =
        "new branch: every commit not already delivered is considered; the ledger and Tracker's comments prevent duplicates"
    /// The note on the range of a force-push.
    public static let forcePushNote = "force-push: only commits never delivered are posted"

    let environment: [String: String]
    let readFile: @Sendable (String) throws -> [UInt8]

    /// environment: the process environment; readFile: reads a file's bytes (injected so tests need no files).
    public init(environment: [String: String], readFile: @escaping @Sendable (String) throws -> [UInt8]) {
        self.environment = environment
        self.readFile = readFile
    }

    /// explicitRange: `--range`, split on whitespace; it wins over everything. Without it, GitHub Actions
    /// (`GITHUB_ACTIONS=true`) is tried, then GitLab CI (`GITLAB_CI=true`). Every error thrown is a
    /// `CIRangeError`; with neither CI, `unknownCI`.
    public func detect(explicitRange: String?) throws -> CIRange {
        try detectRange(explicitRange: explicitRange)
    }

    private func detectRange(explicitRange: String?) throws(CIRangeError) -> CIRange {
        if let explicitRange {
            let words = explicitRange.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { throw .emptyRange }
            return .revisions(words, provider: .explicit, note: nil)
        }
        if isTrue("GITHUB_ACTIONS") {
            return try detectGitHubActions()
        }
        if isTrue("GITLAB_CI") {
            return try detectGitLabCI()
        }
        throw .unknownCI
    }

    /// One line telling the user how to fetch enough history for the range to resolve.
    public static func deepenAdvice(provider: CIProvider) -> String {
        switch provider {
        case .githubActions:
            return "fetch the whole history: give actions/checkout `with: fetch-depth: 0` in the workflow"
        case .gitlabCI:
            return "fetch the whole history: set `GIT_DEPTH: \"0\"` under `variables:` in .gitlab-ci.yml"
        case .explicit:
            return "fetch the whole history first: git fetch --unshallow"
        }
    }

    // MARK: - Shared helpers

    /// The variable's value; an empty one counts as unset.
    func value(_ name: String) -> String? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        return text
    }

    func isTrue(_ name: String) -> Bool {
        value(name)?.lowercased() == "true"
    }

    func required(_ name: String) throws(CIRangeError) -> String {
        guard let text = value(name) else { throw .missingVariable(name) }
        return text
    }

    /// The commit id itself, or `invalidValue` naming where it came from. The all-zero id is refused
    /// unless `allowNull`: only a "before" or "after" may mean "no commit".
    func commitID(_ text: String, from name: String, allowNull: Bool = false) throws(CIRangeError) -> String {
        guard CommitIDSyntax.isCommitID(text), allowNull || !CommitIDSyntax.isNull(text) else {
            throw .invalidValue(name, text)
        }
        return text
    }
}
