/// How a simulator instance behaves: the command line's flags, as values.
public struct SimulatorOptions: Sendable {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    public var port: Int
    /// The accepted `X-TrackerToken`s and the person each one acts as.
    public var tokens: TokenDirectory
    /// Wait this many milliseconds before answering each API request.
    public var latencyMilliseconds: Int
    /// Probability (0…1) that an API request fails with an injected error.
    public var failRate: Double
    /// At most this many API requests per second; nil means no limit.
    public var rateLimit: Int?
    /// Seed for the fault generator; nil seeds it from the system generator.
    public var seed: UInt64?
    /// A story the simulator does not know is created (an unstarted feature) when it is first looked
    /// up (`GET /stories/{id}`) or named by a posted commit, instead of being unknown.
    public var autoCreate: Bool
    /// Every API request gets this answer instead of Tracker's (before the token check).
    public var brokenAnswer: BrokenAnswer?
    /// `POST /source_commits` is applied, then answered this way.
    public var brokenPost: BrokenAnswer?
    /// `GET /stories/{id}` leaves out nested comments even when `fields` asks for them, as a v5
    /// server that does not read `fields` would.
    public var ignoreFields: Bool
    /// Each `POST /source_commits` is held this many milliseconds before it is applied and answered,
    /// and is applied even when the client has given up waiting (a server slower than the client's
    /// timeout).
    public var postLatencyMilliseconds: Int

    public init(port: Int = 0, tokens: TokenDirectory, latencyMilliseconds: Int = 0, failRate: Double = 0,
                rateLimit: Int? = nil, seed: UInt64? = nil, autoCreate: Bool = false,
                brokenAnswer: BrokenAnswer? = nil, brokenPost: BrokenAnswer? = nil, ignoreFields: Bool = false,
                postLatencyMilliseconds: Int = 0) {
        self.port = port
        self.tokens = tokens
        self.latencyMilliseconds = latencyMilliseconds
        self.failRate = failRate
        self.rateLimit = rateLimit
        self.seed = seed
        self.autoCreate = autoCreate
        self.brokenAnswer = brokenAnswer
        self.brokenPost = brokenPost
        self.ignoreFields = ignoreFields
        self.postLatencyMilliseconds = postLatencyMilliseconds
    }
}

/// The version `tracker-sim --version` prints: the project's version, kept equal to the client's by
/// a test (the simulator does not link the client's code to read it).
public enum TrackerSimVersion {
    public static let current = "0.2.0"
}
