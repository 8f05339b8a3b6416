import CommitBridgeCore
import TrackerClient

/// Looks stories up once each, with the commit identifiers of their comments (nested in the same
/// answer where the server allows). Dry runs take the on-disk cache first (within its
/// time-to-live); deliveries read every story afresh but for those known not to exist.
public struct StoryDirectory: Sendable {
    let store: DeliveryStore
    let api: TrackerAPI
    let timeToLive: Double
    let now: @Sendable () -> Double

    public init(store: DeliveryStore, api: TrackerAPI, timeToLive: Double, now: @escaping @Sendable () -> Double) {
        self.store = store
        self.api = api
        self.timeToLive = timeToLive
        self.now = now
    }

    /// The answers for `ids`, each id at most once; `fresh` ids skip the cache.
    /// Stories whose look-up failed are absent from `found` and listed in `failures`.
    public func lookUp(_ ids: [Int64], fresh: Set<Int64> = []) async throws -> Lookups {
        let distinct = Set(ids).sorted()
        let cached = try store.cachedStories(distinct.filter { !fresh.contains($0) }, maxAge: timeToLive, now: now())
        return try await fetch(distinct.filter { cached[$0] == nil }, adding: cached)
    }

    /// The answers a delivery decides on: every story read afresh from Tracker, since its comments
    /// say which commits are already there and another clone may have posted one a moment ago.
    /// A story Tracker said does not exist is not asked again while that answer is younger than
    /// the time-to-live, unless `retryMissing`.
    public func lookUpForDelivery(_ ids: [Int64], retryMissing: Bool) async throws -> Lookups {
        let distinct = Set(ids).sorted()
        let missing = retryMissing ? [] : try store.knownMissing(distinct, maxAge: timeToLive, now: now())
        var known: [Int64: StoryLookup] = [:]
        for id in missing { known[id] = .missing }
        return try await fetch(distinct.filter { !missing.contains($0) }, adding: known)
    }

    /// What `lookUp` answers: the stories found or known missing, the failed look-ups, and how many
    /// requests went to Tracker.
    public struct Lookups: Sendable {
        public var found: [Int64: StoryLookup]
        public var failures: [Int64: TrackerRequestError]
        public var networkLookups: Int
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
        try store.perform(fetched)
        return Lookups(found: answers, failures: failures, networkLookups: ids.count)
    }
}
