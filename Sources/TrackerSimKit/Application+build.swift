import Foundation
import Hummingbird
import Logging

/// Builds the simulator's application: the Tracker v5 API under `/services/v5` and the
/// simulator's own endpoints under `/__sim`, on 127.0.0.1 only.
///
/// - Parameters:
///   - options: port, token, latency and the other command-line settings.
///   - tracker: the state and counters the endpoints read and change.
///   - onServerRunning: called once with the bound port (useful with port 0).
public func buildApplication(
    options: SimulatorOptions,
    tracker: SimulatedTracker,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    var logger = Logger(label: "tracker-sim")
    // No per-request logging: the simulator serves benchmarks.
    logger.logLevel = .warning
    return Application(
        router: buildRouter(options: options, tracker: tracker),
        configuration: .init(address: .hostname("127.0.0.1", port: options.port), serverName: nil),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? options.port)
        },
        logger: logger
    )
}

/// The simulator's routes and middleware (see ``buildApplication(options:tracker:onServerRunning:)``).
func buildRouter(options: SimulatorOptions, tracker: SimulatedTracker) -> Router<SimulatorRequestContext> {
    let router = Router(context: SimulatorRequestContext.self)
    router.add(middleware: TrackerErrorMiddleware())
    let latency: Duration? = options.latencyMilliseconds > 0 ? .milliseconds(options.latencyMilliseconds) : nil
    router.add(middleware: TrackerAPIGate(tracker: tracker, tokens: options.tokens, latency: latency,
                                          brokenAnswer: options.brokenAnswer, brokenPost: options.brokenPost))

    let api = router.group("services/v5")
    // Every API handler runs after the gate, which has put the token's person in the context.
    api.get("me") { _, context in
        JSONResponse.make(try context.actingPerson())
    }
    api.get("stories/:story_id") { request, context in
        guard let id = context.parameters.get("story_id", as: Int64.self),
              let story = await tracker.lookUpStory(id)
        else { throw TrackerAPIError.unfoundResource }
        // `fields=…,comments(…)` nests the story's comments in the answer, as Tracker does.
        if !options.ignoreFields, FieldSelection(request.uri.queryParameters.get("fields")).includes("comments") {
            let comments = await tracker.comments(storyID: id, projectID: story.projectID) ?? []
            return JSONResponse.make(StoryWithComments(story: story, comments: comments))
        }
        return JSONResponse.make(story)
    }
    api.get("projects/:project_id/stories/:story_id/comments") { _, context in
        guard let projectID = context.parameters.get("project_id", as: Int64.self),
              let storyID = context.parameters.get("story_id", as: Int64.self),
              let comments = await tracker.comments(storyID: storyID, projectID: projectID)
        else { throw TrackerAPIError.unfoundResource }
        return JSONResponse.make(comments)
    }
    api.post("source_commits") { request, context in
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let commit = try SourceCommitRequestBody.validated(from: body)
        let author = try context.actingPerson()
        guard options.postLatencyMilliseconds > 0 else {
            return JSONResponse.make(await tracker.apply(commit, by: author))
        }
        // A task of its own, so that a client that hangs up (its timeout) does not cancel the
        // change: the commit lands late, as on a slow server.
        let delay = Duration.milliseconds(options.postLatencyMilliseconds)
        let applying = Task {
            try? await Task.sleep(for: delay)
            return await tracker.apply(commit, by: author)
        }
        return JSONResponse.make(await applying.value)
    }

    let simulator = router.group("__sim")
    simulator.get("stats") { _, _ in
        JSONResponse.make(await tracker.currentStatistics())
    }
    simulator.get("stories") { _, _ in
        JSONResponse.make(await tracker.allStories())
    }
    simulator.get("comments") { _, _ in
        JSONResponse.make(await tracker.allComments())
    }
    // Adds (or replaces) a story, as someone creating it in Tracker would: `{"id":…,"project_id":…}`
    // and any other story fields.
    simulator.post("stories") { request, context in
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard let story = try? JSONDecoder().decode(SimulatedStory.self, from: body) else {
            throw TrackerAPIError.invalidParameter(problem: "The body is not a story.", field: "story",
                                                   fieldProblem: "expected a story object with id and project_id")
        }
        return JSONResponse.make(await tracker.addStory(story), status: .created)
    }
    return router
}
