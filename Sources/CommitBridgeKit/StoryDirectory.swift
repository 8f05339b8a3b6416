import CommitBridgeCore
import TrackerClient

/// Looks stories up once each: the on-disk cache first (within its time-to-live), then Tracker.
/// A found story's comments are read too (nested in the same answer where the server allows),
/// for the commit identifiers they carry.
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
    public func lookUp(_ ids: [Int64], fresh: Set<Int64> = []) async throws -> (found: [Int64: StoryLookup], failures: [Int64: TrackerRequestError], networkLookups: Int) {
        let distinct = Set(ids).sorted()
        var answers = try store.cachedStories(distinct.filter { !fresh.contains($0) }, maxAge: timeToLive, now: now())
        let toFetch = distinct.filter { answers[$0] == nil }
        var failures: [Int64: TrackerRequestError] = [:]
        var fetched: [DeliveryWrite] = []
        let api = self.api
        try await withThrowingTaskGroup(of: (Int64, Result<StoryLookup, TrackerRequestError>).self) { group in
            for id in toFetch {
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
                    if error.isAuthenticationFailure {
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
        return (answers, failures, toFetch.count)
    }
}
