/// The raw settings a command was given on its command line; nil means "not given".
public struct ConfigurationInputs: Sendable, Hashable {
    public var trackerURL: String?
    public var tokenFile: String?
    public var commitURL: String?
    public var branches: [String]
    public var stateDirectory: String?
    public var allowInsecureHTTP: Bool

    public init(trackerURL: String? = nil, tokenFile: String? = nil, commitURL: String? = nil,
                branches: [String] = [], stateDirectory: String? = nil, allowInsecureHTTP: Bool = false) {
        self.trackerURL = trackerURL
        self.tokenFile = tokenFile
        self.commitURL = commitURL
        self.branches = branches
        self.stateDirectory = stateDirectory
        self.allowInsecureHTTP = allowInsecureHTTP
    }
}
