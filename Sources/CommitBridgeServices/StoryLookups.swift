import CommitBridgeCore
import TrackerClient

// Asking Tracker about stories: the client a run talks through, the look-ups (with the story
// cache), and what a dry run predicts from their answers.

/// A Tracker client built from the configuration; needs a token.
enum TrackerSession {
    /// Runs `work` with a live client, and closes its connections afterwards.
    static func with<T: Sendable>(_ configuration: Configuration, _ work: (TrackerAPI) async throws -> T) async throws -> T {
        let options = configuration.delivery
        guard let token = configuration.token?.value else {
            throw CommitBridgeError.missingToken
        }
        let client = HTTPTrackerClient(endpoint: configuration.tracker.value, token: token,
                                       concurrency: options.concurrency, timeout: options.requestTimeout)
        do {
            let result = try await work(client.api)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Runs `work` with a client for each author who has a token of their own (by e-mail
    /// address; authors sharing a token share a client), and closes them afterwards.
    static func withAuthors<T: Sendable>(_ configuration: Configuration, _ work: ([String: TrackerAPI]) async throws -> T) async throws -> T {
        let options = configuration.delivery
        var clients: [String: HTTPTrackerClient] = [:]
        var apis: [String: TrackerAPI] = [:]
        for (email, token) in configuration.authorTokens {
            let key = token.value.revealedForRequest
            let client = clients[key] ?? HTTPTrackerClient(endpoint: configuration.tracker.value, token: token.value,
                                                            concurrency: options.concurrency, timeout: options.requestTimeout)
            clients[key] = client
            apis[email] = client.api
        }
        do {
            let result = try await work(apis)
            for client in clients.values { await client.shutdown() }
            return result
        } catch {
            for client in clients.values { await client.shutdown() }
            throw error
        }
    }
}

/// Looks stories up once each, with the commit identifiers of their comments (nested in the same
/// answer where the server allows). Dry runs take the on-disk cache first (within its
/// time-to-live); deliveries read every story afresh but for those known not to exist.
struct StoryDirectory: Sendable {
    let store: DeliveryStore
    let api: TrackerAPI
    let timeToLive: Double
    let now: @Sendable () -> Double

    init(store: DeliveryStore, api: TrackerAPI, timeToLive: Double, now: @escaping @Sendable () -> Double) {
        self.store = store
        self.api = api
        self.timeToLive = timeToLive
        self.now = now
    }

    /// The answers for `ids`, each id at most once; `fresh` ids skip the cache.
    /// Stories whose look-up failed are absent from `found` and listed in `failures`.
    func lookUp(_ ids: [Int64], fresh: Set<Int64> = []) async throws -> Lookups {
        let distinct = Set(ids).sorted()
        let cached = try store.cachedStories(distinct.filter { !fresh.contains($0) }, maxAge: timeToLive, now: now())
        return try await fetch(distinct.filter { cached[$0] == nil }, adding: cached)
    }

    /// The answers a delivery decides on: every story read afresh from Tracker, since its comments
    /// say which commits are already there and another clone may have posted one a moment ago.
    /// A story Tracker said does not exist is not asked again while that answer is younger than
    /// the time-to-live, unless `retryMissing`.
    func lookUpForDelivery(_ ids: [Int64], retryMissing: Bool) async throws -> Lookups {
        let distinct = Set(ids).sorted()
        let missing = retryMissing ? [] : try store.knownMissing(distinct, maxAge: timeToLive, now: now())
        var known: [Int64: StoryLookup] = [:]
        for id in missing { known[id] = .missing }
        return try await fetch(distinct.filter { !missing.contains($0) }, adding: known)
    }

    /// What `lookUp` answers: the stories found or known missing, the failed look-ups, and how many
    /// requests went to Tracker.
    struct Lookups: Sendable {
        var found: [Int64: StoryLookup]
        var failures: [Int64: TrackerRequestError]
        var networkLookups: Int
    }

    /// Asks Tracker about `ids` (a few at a time, as the client allows) and caches the answers.
    /// An authentication failure or a wrong URL ends the look-ups and is thrown: no other request
    /// would do better, and nothing is cached from a server that is not Tracker.
    private func fetch(_ ids: [Int64], adding known: [Int64: StoryLookup]) async throws -> Lookups {
        var answers = known
        var failures: [Int64: TrackerRequestError] = [:]
        var fetched: [DeliveryWrite] = []
        let api = self.api
        try await withThrowingTaskGroup(of: (Int64, Result<StoryLookup, TrackerRequestError>).self) { group in
            for id in ids {
                group.addTask {
                    do {
                        // Keep the `let`: Swift 6.3.1's release builds returned a garbage `id` from
                        // `return (id, .success(try await api.story(id)))` (debug builds did not).
                        // `.ci/run` posts through a release build to catch that kind of thing.
                        let lookup = try await api.story(id)
                        return (id, .success(lookup))
                    } catch let error as TrackerRequestError {
                        return (id, .failure(error))
                    }
                }
            }
            for try await (id, result) in group {
                switch result {
                case .success(let lookup):
                    answers[id] = lookup
                    fetched.append(.cachedStory(id: id, lookup: lookup, at: now()))
                case .failure(let error):
                    if error.isAuthenticationFailure || error.isConfigurationProblem {
                        group.cancelAll()
                        throw error
                    }
                    failures[id] = error
                }
            }
        }
        // One transaction (one sync to disk) for all the new cache entries. The cache only saves
        // look-ups; a run killed before this line looks the stories up again next time.
        try await store.write(fetched)
        return Lookups(found: answers, failures: failures, networkLookups: ids.count)
    }
}

/// Predicts, commit by commit, what posting would do to each story (dry run with a token).
/// States carry forward: a story finished by one commit is already finished for the next.
struct EffectForecast: Sendable {
    private var states: [Int64: (StoryRecord, StoryState)] = [:]
    private let lookups: [Int64: StoryLookup]

    init(lookups: [Int64: StoryLookup]) {
        self.lookups = lookups
        for (id, lookup) in lookups {
            if case .found(let record, _, _) = lookup { states[id] = (record, record.state) }
        }
    }

    /// One line per reference, e.g. `#555 feature started → finished`, `#9 not found`.
    mutating func describe(_ planned: PlannedCommit) -> [String] {
        planned.references.map { reference in
            guard let lookup = lookups[reference.story] else {
                return "#\(reference.story) \(reference.action.rawValue) (not looked up)"
            }
            guard case .found(_, let identifiers, _) = lookup, let (record, current) = states[reference.story] else {
                return "#\(reference.story) not found on Tracker"
            }
            if identifiers.contains(planned.sha) {
                return "#\(reference.story) \(record.type.rawValue) already has this commit: not posted again"
            }
            guard let next = EffectPredictor.newState(for: reference.action, type: record.type, current: current) else {
                return "#\(reference.story) \(record.type.rawValue) \(current.rawValue) (comment only)"
            }
            states[reference.story] = (record, next)
            return "#\(reference.story) \(record.type.rawValue) \(current.rawValue) → \(next.rawValue)"
        }
    }
}
