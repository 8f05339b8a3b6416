import Foundation

/// The simulated Tracker: its state, its counters and its fault decisions, behind one actor.
///
/// Every change (a posted commit that added a comment or created a story) is saved to the
/// `--state` file, when there is one. Saving happens off the actor, in order, and coalesces: while
/// one write is under way, further changes wait and go out together in the next write, so a large
/// state does not slow every posted commit down. ``flush()`` waits for the writes; ``save()`` (on a
/// graceful stop) writes what is left.
public actor SimulatedTracker {
    private var state: TrackerState
    private var statistics = SimulatorStatistics()
    private var commented: Set<CommentKey>
    private var faults: FaultInjector
    private var rateLimiter: RateLimiter?
    private let autoCreate: Bool
    private let stateFile: StateFile?
    /// Changes not yet handed to a write.
    private var unsavedChanges = false
    /// The background loop writing the state file, while there is one.
    private var saving: Task<Void, Never>?

    /// - Parameters:
    ///   - state: what the simulator starts with (fixtures or a saved state).
    ///   - options: fault, rate and auto-create settings (the tokens and port are not used here).
    ///   - stateFile: where to save every change, if anywhere.
    public init(state: TrackerState, options: SimulatorOptions, stateFile: StateFile? = nil) {
        self.state = state
        self.commented = Set(state.comments.values.joined().map {
            CommentKey(storyID: $0.storyID, commitIdentifier: $0.commitIdentifier)
        })
        // With a seed the sequence is reproducible; without one the system generator picks the seed.
        let seed = options.seed ?? UInt64.random(in: .min ... .max)
        self.faults = FaultInjector(failRate: options.failRate, generator: SplitMix64(seed: seed))
        self.rateLimiter = options.rateLimit.map { RateLimiter(limit: $0) }
        self.autoCreate = options.autoCreate
        self.stateFile = stateFile
    }

    // MARK: Admission

    /// Counts an API request and decides, in this order: token (403), rate limit (429), injected
    /// failure. A refused request draws nothing from the fault generator.
    func admit(authenticated: Bool, at now: ContinuousClock.Instant) -> RequestAdmission {
        statistics.requests += 1
        guard authenticated else { return .forbidden }
        if var limiter = rateLimiter {
            let allowed = limiter.admit(at: now)
            rateLimiter = limiter
            if !allowed {
                statistics.rateLimited += 1
                return .rateLimited
            }
        }
        if let fault = faults.draw() {
            statistics.injectedFailures += 1
            return .fault(fault)
        }
        return .proceed
    }

    /// Counts an API request answered by `--broken-answer` (no token check, no effect).
    func countBrokenAnswer() {
        statistics.requests += 1
    }

    // MARK: Reads

    /// `GET /stories/{id}`: the story, or nil. Counts a story lookup. With `--auto-create`, a story
    /// the simulator does not know is created on this first look-up, as a posted commit would create it.
    public func lookUpStory(_ id: Int64) -> SimulatedStory? {
        statistics.storyLookups += 1
        if let story = state.stories[id] { return story }
        guard let created = newStoryIfAllowed(id, at: SimulatorClock.now()) else { return nil }
        state.stories[id] = created
        scheduleSave()
        return created
    }

    /// The story's comments, oldest first, or nil when the story is not in that project.
    public func comments(storyID: Int64, projectID: Int64) -> [SimulatedComment]? {
        guard let story = state.stories[storyID], story.projectID == projectID else { return nil }
        return state.comments[storyID] ?? []
    }

    /// Every story, by id, with its comments.
    public func allStories() -> [StoryWithComments] {
        state.stories.values.sorted { $0.id < $1.id }.map {
            StoryWithComments(story: $0, comments: state.comments[$0.id] ?? [])
        }
    }

    /// Every comment of every story, in the order they were made (by comment id).
    public func allComments() -> [SimulatedComment] {
        state.comments.values.joined().sorted { $0.id < $1.id }
    }

    /// The counters as they are now.
    public func currentStatistics() -> SimulatorStatistics {
        statistics
    }

    /// A copy of the whole state.
    public func snapshot() -> TrackerState {
        state
    }

    // MARK: Changes

    /// `POST /source_commits`: for each story the message names (read by ``TrackerCommitRules``), in
    /// order, adds a comment written by `author` and moves the story as those rules say. Unknown
    /// stories are skipped, or created with `--auto-create`.
    /// - Parameter author: the person whose token posted the commit; the comments record their id.
    /// - Returns: the affected stories, after the change.
    public func apply(_ commit: PostedSourceCommit, by author: SimulatedPerson = .defaultPerson) -> [SimulatedStory] {
        statistics.sourceCommits += 1
        let requests = TrackerCommitRules.storyRequests(in: commit.message)
        var affected: [SimulatedStory] = []
        let now = SimulatorClock.now()
        for asked in requests {
            guard var story = state.stories[asked.storyID] ?? newStoryIfAllowed(asked.storyID, at: now) else {
                continue
            }
            addComment(to: story.id, commit: commit, by: author, at: now)
            if let next = TrackerCommitRules.stateAfter(asked.request, type: story.storyType, from: story.currentState) {
                story.currentState = next
            }
            story.updatedAt = now
            state.stories[story.id] = story
            affected.append(story)
        }
        if !affected.isEmpty { scheduleSave() }
        return affected
    }

    /// `POST /__sim/stories`: adds `story` (replacing one with the same id), as if made in Tracker.
    public func addStory(_ story: SimulatedStory) -> SimulatedStory {
        state.stories[story.id] = story
        scheduleSave()
        return story
    }

    /// Waits until every change made so far is in the `--state` file.
    public func flush() async {
        while let task = saving {
            await task.value
        }
    }

    /// Waits for the background writes, then writes the state once more (used on a graceful stop).
    public func save() async throws {
        await flush()
        guard let stateFile else { return }
        unsavedChanges = false
        try await Self.write(state, to: stateFile)
    }

    private func newStoryIfAllowed(_ id: Int64, at now: Date) -> SimulatedStory? {
        guard autoCreate else { return nil }
        let projectID = state.projectForNewStories()
        return SimulatedStory(id: id, projectID: projectID, name: "Auto-created story \(id)", createdAt: now)
    }

    private func addComment(to storyID: Int64, commit: PostedSourceCommit, by author: SimulatedPerson, at now: Date) {
        let comment = SimulatedComment(id: state.nextCommentID, storyID: storyID, text: commit.commentText,
                                       personID: author.id, commitIdentifier: commit.commitID, createdAt: now)
        state.nextCommentID += 1
        state.comments[storyID, default: []].append(comment)
        statistics.comments += 1
        let key = CommentKey(storyID: storyID, commitIdentifier: commit.commitID)
        if !commented.insert(key).inserted {
            statistics.duplicateComments += 1
        }
    }

    private func scheduleSave() {
        guard let stateFile else { return }
        unsavedChanges = true
        guard saving == nil else { return }
        saving = Task { await self.writeUntilSaved(to: stateFile) }
    }

    /// Writes the latest state until no change is left unsaved.
    private func writeUntilSaved(to file: StateFile) async {
        while unsavedChanges {
            unsavedChanges = false
            do {
                try await Self.write(state, to: file)
            } catch {
                FileHandle.standardError.write(Data("tracker-sim: cannot save state to \(file.path): \(error)\n".utf8))
            }
        }
        saving = nil
    }

    /// Encodes and writes a copy of the state away from the actor, so requests go on meanwhile.
    @concurrent
    private static func write(_ state: TrackerState, to file: StateFile) async throws {
        try file.save(state)
    }
}

/// The counters `GET /__sim/stats` reports.
public struct SimulatorStatistics: Codable, Sendable, Equatable {
    /// API requests under `/services/v5`, whatever their answer.
    public var requests = 0
    /// `POST /source_commits` requests that were applied (including those answered 502 afterwards).
    public var sourceCommits = 0
    /// Comments added.
    public var comments = 0
    /// Comments added for a (story, commit) pair that already had a comment.
    public var duplicateComments = 0
    /// `GET /stories/{id}` requests that reached the story table (found or not).
    public var storyLookups = 0
    /// Requests answered 429.
    public var rateLimited = 0
    /// Requests answered with an injected 500, 502 or 503.
    public var injectedFailures = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case requests, comments
        case sourceCommits = "source_commits"
        case duplicateComments = "duplicate_comments"
        case storyLookups = "story_lookups"
        case rateLimited = "rate_limited"
        case injectedFailures = "injected_failures"
    }
}

/// A (story, commit) pair: the simulator uses it to notice a commit commented twice on one story.
struct CommentKey: Hashable, Sendable {
    let storyID: Int64
    let commitIdentifier: String
}
