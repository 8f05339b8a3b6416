/// Where a range came from: a CI service recognised from its variables, or the `--range` flag.
public enum CIProvider: String, Sendable, Hashable, CaseIterable {
    case githubActions = "GitHub Actions"
    case gitlabCI = "GitLab CI"
    case explicit = "--range"
}
