import ArgumentParser
import Foundation
import Hummingbird
import TrackerSimKit

/// `tracker-sim`: a local Pivotal Tracker v5 API for tests and benchmarks.
@main
struct TrackerSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracker-sim",
        abstract: "A local simulator of the Pivotal Tracker v5 API, on 127.0.0.1.",
        discussion: """
            The first line on stdout is `listening on http://127.0.0.1:PORT`. The API is under \
            /services/v5; GET /__sim/stats, GET /__sim/stories and GET /__sim/comments need no token.

            --token may be repeated: a plain TOKEN is the default person's (id 101), each \
            NAME=TOKEN is a person of its own (ids 102, 103, … in the order given). A request acts \
            as its token's person: GET /me answers that person, and the comments of a posted commit \
            carry that person's person_id.

            Each API request, in order: waits --latency-ms; is refused 403 without one of the \
            configured X-TrackerTokens; is refused 429 (Retry-After: 1) over --rate-limit; then fails with \
            probability --fail-rate. Half of the failures answer 500 before any effect; the other \
            half apply a POST /source_commits and then answer 502, or answer a GET 503 at once. \
            With --seed the failures repeat exactly from run to run.
            """,
        version: TrackerSimVersion.current
    )

    @Option(help: "TCP port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 0

    @Option(help: "JSON file with the starting projects and stories.")
    var fixtures: String?

    @Option(help: ArgumentHelp("An X-TrackerToken the API accepts: TOKEN for the default person, NAME=TOKEN for a person of its own (repeatable).",
                               valueName: "[NAME=]TOKEN"))
    var token: [String] = []

    @Option(help: "Milliseconds to wait before answering each API request.")
    var latencyMs: Int = 0

    @Option(help: "Milliseconds each POST /source_commits waits before it is applied; it is applied even if the client stopped waiting.")
    var postLatencyMs: Int = 0

    @Option(help: "Probability (0…1) that an API request fails with an injected 500/502/503.")
    var failRate: Double = 0

    @Option(help: "At most this many API requests per second; more are answered 429.")
    var rateLimit: Int?

    @Option(help: "Seed for the fault generator, for reproducible failures.")
    var seed: UInt64?

    @Flag(help: "An unknown story is created (an unstarted feature) on its first GET /stories/{id} or posted commit.")
    var autoCreate = false

    @Option(help: "Answer every API request this way instead: html, empty, invalid-json, not-found-page or redirect=URL (for client tests).")
    var brokenAnswer: String?

    @Option(help: "Apply each POST /source_commits, then answer it this way: html, empty, invalid-json, not-found-page or redirect=URL.")
    var brokenPost: String?

    @Flag(help: "Answer GET /stories/{id} without nested comments even when fields= asks for them (as a v5 server that ignores fields).")
    var ignoreFields = false

    @Option(help: "JSON file holding the whole state: loaded at start if it exists, saved after every change.")
    var state: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        do {
            _ = try TokenDirectory(arguments: token)
        } catch {
            throw ValidationError("\(error)")
        }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must not be negative.") }
        guard postLatencyMs >= 0 else { throw ValidationError("--post-latency-ms must not be negative.") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1.") }
        if let rateLimit, rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1.") }
        for (flag, value) in [("--broken-answer", brokenAnswer), ("--broken-post", brokenPost)] {
            if let value, BrokenAnswer(argument: value) == nil {
                throw ValidationError("\(flag) must be html, empty, invalid-json, not-found-page or redirect=URL.")
            }
        }
    }

    func run() async throws {
        let tokens = try TokenDirectory(arguments: token)
        let options = SimulatorOptions(port: port, tokens: tokens, latencyMilliseconds: latencyMs,
                                       failRate: failRate, rateLimit: rateLimit, seed: seed,
                                       autoCreate: autoCreate,
                                       brokenAnswer: brokenAnswer.flatMap(BrokenAnswer.init(argument:)),
                                       brokenPost: brokenPost.flatMap(BrokenAnswer.init(argument:)),
                                       ignoreFields: ignoreFields, postLatencyMilliseconds: postLatencyMs)
        let stateFile = state.map { StateFile(path: $0) }
        let initial = try StateFile.initialState(fixturesPath: fixtures, stateFile: stateFile)
        let tracker = SimulatedTracker(state: initial, options: options, stateFile: stateFile)
        let app = buildApplication(options: options, tracker: tracker) { boundPort in
            // An unbuffered write, so a reader on a pipe sees the line at once.
            FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(boundPort)\n".utf8))
        }
        // Stops gracefully on SIGTERM and SIGINT; the state is saved once more on the way out.
        try await app.runService()
        try await tracker.save()
    }
}
