@_exported import CommitBridgeCore
import CommitBridgeStore
import Foundation
import GitKit
import HookInstaller
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
    /// A failure reported while the work goes on (`commitbridge: …`), as a hook does.
    case problem(String)
    /// A dry run's decision for one commit, with the predicted effect lines when Tracker was asked.
    case decision(CommitDecision, effects: [String]?)
    /// Something that happened to one queued commit during delivery.
    case delivery(DeliveryEvent)
}

/// Where a service sends its events.
public typealias EventSink = @Sendable (ServiceEvent) -> Void

/// Something that happened to one queued commit during delivery, for progress output.
public enum DeliveryEvent: Sendable, Hashable {
    case delivered(sha: String, outcome: DeliveryOutcome)
    /// Not posted: its change was delivered already as `original`.
    case rewritten(sha: String, original: String)
    case failed(sha: String, problem: String)
    case held(sha: String, reason: String)
}
