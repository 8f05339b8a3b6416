@_exported import CommitBridgeCore
import CommitBridgeStore
import Foundation
import GitKit
import HookInstaller
import Synchronization
import TrackerClient

/// Every failure a service reports to its caller. The command line turns each case into one line
/// and one exit code, in one function (`Entry.exitCode(for:)` in the executable).
///
/// Services throw these; an error of an edge (git, the store, the Tracker client, the hook
/// installer) that reaches a caller unconverted is normalised by `init(_:)`, so a caller meets
/// this one type.
public enum CommitBridgeError: Error, LocalizedError, Sendable, Equatable {
    /// A flag or argument is wrong.
    case usage(String)
    /// A setting is missing or invalid, or the tracker URL does not lead to Tracker.
    case configuration(String)
    /// No git repository where one was expected.
    case notARepository(String)
    /// A revision or range does not resolve.
    case badRevision(String)
    /// Some commits could not be delivered and stay queued.
    case undelivered(String)
    /// The state database could not be written; what was queued before stays queued.
    case stateDatabase(String)
    /// A check found problems and has reported them already (doctor, the strict commit-msg hook):
    /// no further line. `refusal` is true for a refused commit message.
    case reported(refusal: Bool)

    /// One line, without the token, ready for stderr; nil for `reported`.
    public var errorDescription: String? {
        switch self {
        case .usage(let text), .notARepository(let text), .badRevision(let text), .undelivered(let text):
            return text
        case .configuration(let text):
            return "configuration: \(text)"
        case .stateDatabase(let text):
            return "the state database could not be written: \(text); "
                + "commits queued earlier stay queued: fix it (disk space, permissions) and run 'commitbridge flush'"
        case .reported:
            return nil
        }
    }

    /// A command that talks to Tracker found no token anywhere.
    public static let missingToken = CommitBridgeError.configuration(
        "no Tracker token: set TRACKER_TOKEN, pass --token-file FILE, or run 'git config commitbridge.token …' (a dry run needs none)")

    /// Any error as a `CommitBridgeError`: an edge's error by what it means to a user, anything
    /// else as a configuration error carrying its own description.
    public init(_ error: Error) {
        switch error {
        case let error as CommitBridgeError:
            self = error
        case let error as GitError:
            self = error.kind == .notARepository ? .notARepository(error.localizedDescription) : .badRevision(error.localizedDescription)
        case let error as HookInstallerError:
            self = .configuration(error.localizedDescription)
        case let error as TrackerRequestError:
            self = .configuration(error.description)
        case let error as RevisionRangeError:
            self = .badRevision(error.message)
        default:
            if let line = StoreError.line(for: error) {
                self = .stateDatabase(line)
            } else if error is DecodingError || error is CocoaError {
                self = .usage(error.localizedDescription)
            } else {
                self = .configuration("\(error)")
            }
        }
    }
}

/// Something a service has to say while it works, for the command line to show: warnings and
/// notes on stderr, dry-run decisions, delivery progress. Services never print.
public enum ServiceEvent: Sendable {
    /// A problem that does not stop the run (`warning: …`).
    case warning(String)
    /// A line of information on stderr (a summary, "nothing queued", …).
    case note(String)
    /// A line of detail that only `--verbose` shows (where a setting came from, …).
    case detail(String)
    /// A failure reported while the work goes on (`commitbridge: …`), as a hook does.
    case problem(String)
    /// A dry run's decision for one commit, with the predicted effect lines when Tracker was asked.
    case decision(CommitDecision, effects: [String]?)
    /// Something that happened to one queued commit during delivery.
    case delivery(DeliveryEvent)
    /// How far a long piece of work has come. Services send it at most about ten times a second;
    /// the command line may draw it as one line on a terminal.
    case progress(WorkProgress)
}

/// Where a service sends its events.
public typealias EventSink = @Sendable (ServiceEvent) -> Void

/// How far a scan or a delivery has come.
public struct WorkProgress: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Reading the commits of a range (the total is not known in advance).
        case scan
        /// Posting queued commits.
        case delivery
    }

    public var kind: Kind
    /// Items done so far (commits read, or commits whose post ended).
    public var done: Int
    /// Items in all, when known.
    public var total: Int?

    public init(kind: Kind, done: Int, total: Int?) {
        self.kind = kind
        self.done = done
        self.total = total
    }
}

/// Sends `progress` events at most `interval` seconds apart (plus the first one, at zero), so that
/// a service can report after every item without flooding its sink.
final class ProgressPacer: Sendable {
    private let events: EventSink
    private let kind: WorkProgress.Kind
    private let interval: Double
    private let last = Mutex(-Double.infinity)

    init(_ kind: WorkProgress.Kind, events: @escaping EventSink, interval: Double = 0.1) {
        self.kind = kind
        self.events = events
        self.interval = interval
    }

    /// Reports `done` of `total` when the last report is at least `interval` old (always for 0).
    func report(done: Int, total: Int?) {
        let now = ProcessInfo.processInfo.systemUptime
        let due: Bool = last.withLock { last in
            guard done == 0 || now - last >= interval else { return false }
            last = now
            return true
        }
        if due { events(.progress(WorkProgress(kind: kind, done: done, total: total))) }
    }
}

/// Something that happened to one queued commit during delivery, for progress output.
public enum DeliveryEvent: Sendable, Hashable {
    case delivered(sha: String, outcome: DeliveryOutcome)
    /// Not posted: its change was delivered already as `original`.
    case rewritten(sha: String, original: String)
    /// Not delivered, it stays queued: `problem` says why, in words that are the same for every
    /// commit the same failure kept (the command line groups them), and `stories` are its stories.
    case failed(sha: String, problem: String, stories: [Int64])
    /// Held back (it stays queued) because of an earlier failure.
    case held(sha: String, reason: String, stories: [Int64])
    /// A delivery pass ended: whatever was being gathered about it can be shown now.
    case passEnded
}
