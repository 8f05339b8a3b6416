import CommitBridgeServices
import Foundation

/// The JSON documents that `status`, `flush`, `replay` and `ci` write with `--json` (their shapes
/// are described in docs/json.md). Keys are snake_case; every key is always present, `null` when
/// it does not apply.
enum OutputJSON {
    /// `status --json`: the state directory and each tracker's queue, ledger and story cache.
    static func status(stateDirectory: String, _ trackers: [StatusService.TrackerState]) -> JSONValue {
        .object([
            ("state_directory", .string(stateDirectory)),
            ("trackers", .array(trackers.map(tracker))),
        ])
    }

    private static func tracker(_ state: StatusService.TrackerState) -> JSONValue {
        let oldest = state.oldest.map { oldest -> JSONValue in
            .object([
                ("commit", .string(oldest.sha)),
                ("queued_at", .string(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: oldest.enqueuedAt)))),
                ("attempts", .integer(Int64(oldest.attempts))),
            ])
        } ?? .null
        return .object([
            ("tracker", .string(state.tracker)),
            ("queued", .integer(Int64(state.queued))),
            ("waiting_for_push", .integer(Int64(state.waitingForPush))),
            ("dropped_unposted", .integer(Int64(state.droppedUnpushed))),
            ("oldest", oldest),
            ("last_error", state.lastError.map(JSONValue.string) ?? .null),
            ("delivered", .integer(Int64(state.delivered))),
            ("story_cache", .object([
                ("entries", .integer(Int64(state.cache.entries))),
                ("hits", .integer(Int64(state.cache.hits))),
                ("misses", .integer(Int64(state.cache.misses))),
            ])),
        ])
    }

    /// The summary of a delivery (`flush`, `replay`, `ci`): what was posted, found, held back and
    /// why; for `replay` and `ci` the scan of the range, for `ci` how its range was found.
    /// `nothing` is the reason when there was nothing to post.
    static func delivery(_ report: DeliveryReport, command: String, facts: CIService.Facts? = nil,
                         nothing: String? = nil) -> JSONValue {
        .object([
            ("command", .string(command)),
            ("nothing_to_post", nothing.map(JSONValue.string) ?? .null),
            ("posted", .integer(Int64(report.posted))),
            ("already_on_tracker", .integer(Int64(report.alreadyOnTracker))),
            ("already_delivered", .array(report.alreadyDelivered.sorted { $0.key < $1.key }.map {
                .object([("commit", .string($0.key)), ("as", .string($0.value))])
            })),
            ("undelivered", .array(report.undelivered.sorted { $0.key < $1.key }.map {
                .object([("commit", .string($0.key)), ("reason", .string($0.value))])
            })),
            ("waiting_for_stories", .array(report.waitingForStories.map(JSONValue.string))),
            ("stories_not_found", .array(report.waitingCommitsByStory.sorted { $0.key < $1.key }.map {
                .object([("story", .integer($0.key)), ("commits", .integer(Int64($0.value)))])
            })),
            ("story_lookups", .integer(Int64(report.storyLookups))),
            ("authentication_problem", report.authenticationProblem.map(JSONValue.string) ?? .null),
            ("scan", report.walked.map(scan) ?? .null),
            ("ci", facts.map(ci) ?? .null),
        ])
    }

    /// The counts of a walk over a range.
    static func scan(_ summary: ReplaySummary) -> JSONValue {
        .object([
            ("scanned", .integer(Int64(summary.scanned))),
            ("tagged", .integer(Int64(summary.tagged))),
            ("untagged", .integer(Int64(summary.skippedUntagged))),
            ("merges_skipped", .integer(Int64(summary.skippedMerges))),
            ("reverts", .integer(Int64(summary.reverts))),
            ("shortened", .integer(Int64(summary.shortened))),
            ("warnings", .integer(Int64(summary.warnings))),
        ])
    }

    /// How a `ci` run found its range.
    static func ci(_ facts: CIService.Facts) -> JSONValue {
        .object([
            ("provider", .string(facts.provider)),
            ("range", .string(facts.range)),
            ("deepened_by", .integer(Int64(facts.deepenedBy))),
            ("shortfall", facts.shortfall.map(JSONValue.string) ?? .null),
        ])
    }
}
