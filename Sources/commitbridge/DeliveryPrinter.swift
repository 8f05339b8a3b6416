import CommitBridgeCore
import CommitBridgeKit

/// Prints delivery progress and the closing summary on stderr.
enum DeliveryPrinter {
    static func event(_ event: DeliveryEvent) {
        switch event {
        case .delivered:
            break
        case .failed(let sha, let problem):
            StandardStreams.err("\(sha.prefix(7)) stays queued: \(problem)")
        case .held(let sha, let reason):
            StandardStreams.err("\(sha.prefix(7)) stays queued: \(reason)")
        }
    }

    /// Says which commits came from the queue of a tracker URL that never delivered anything.
    static func tookOver(_ queues: [(tracker: String, count: Int)]) {
        for (tracker, count) in queues {
            StandardStreams.err("took over \(count) commit\(count == 1 ? "" : "s") queued for \(tracker), which has delivered nothing")
        }
    }

    /// Prints the summary; throws exit code 1 when anything stays queued.
    static func finish(_ report: DeliveryReport) throws {
        if let problem = report.authenticationProblem {
            StandardStreams.err("commitbridge: \(problem)")
        }
        report.waitingLine.map { StandardStreams.err($0) }
        StandardStreams.err(report.line)
        if !report.allDelivered {
            throw CommitBridgeError.undelivered("\(report.undelivered.count) commit\(report.undelivered.count == 1 ? "" : "s") could not be delivered and stay queued")
        }
    }
}
