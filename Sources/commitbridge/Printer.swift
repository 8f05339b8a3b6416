import CommitBridgeServices
import Foundation
import Synchronization


/// Renders what the services report: dry-run decisions (a readable listing, or one JSON object per
/// line with `json`), delivery progress, warnings and notes, summaries, doctor's checks and status.
/// Every line goes out through `StandardStreams`.
struct Printer: Sendable {
    var json = false
    /// On GitHub Actions, warnings become `::warning::` annotations and `ci` writes a step summary.
    var onGitHub = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"

    /// The sink a service reports to.
    var events: EventSink {
        let printer = self
        return { event in printer.show(event) }
    }

    func show(_ event: ServiceEvent) {
        switch event {
        case .warning(let text):
            // A workflow command is one line; its text escapes `%` and line breaks.
            StandardStreams.err(onGitHub ? "::warning::" + text.replacingOccurrences(of: "%", with: "%25") : "warning: \(text)")
        case .note(let text): StandardStreams.err(text)
        case .problem(let text): StandardStreams.err("commitbridge: \(text)")
        case .decision(let decision, let effects): show(decision, effects: effects)
        case .delivery(.delivered): break
        case .delivery(.rewritten(let sha, let original)):
            StandardStreams.err("\(sha.prefix(7)) already delivered as \(original.prefix(7)) (the same change, rewritten): not posted")
        case .delivery(.failed(let sha, let problem)): StandardStreams.err("\(sha.prefix(7)) stays queued: \(problem)")
        case .delivery(.held(let sha, let reason)): StandardStreams.err("\(sha.prefix(7)) stays queued: \(reason)")
        }
    }

    /// One dry-run decision: JSON on stdout, or a readable listing; warnings on stderr.
    private func show(_ decision: CommitDecision, effects: [String]?) {
        switch decision {
        case .post(let planned):
            if json {
                var line: [UInt8] = []
                planned.dryRunJSON.write(into: &line)
                StandardStreams.out(utf8: line)
            } else {
                var header = "\(planned.sha.prefix(7)) \(TerminalSafeText.line(String(planned.subject.prefix(72))))"
                if planned.revertRewritten { header += "  (revert: state verbs dropped)" }
                if planned.shortened { header += "  (message shortened)" }
                StandardStreams.out(header)
                for line in effects ?? planned.references.map({ "#\($0.story) \($0.action.rawValue)" }) {
                    StandardStreams.out("    " + line)
                }
            }
            for warning in planned.warnings {
                StandardStreams.err("warning: \(planned.sha.prefix(7)): \(warning)")
            }
        case .skip(let sha, _, let warnings):
            for warning in warnings {
                StandardStreams.err("warning: \(sha.prefix(7)) (not posted): \(warning)")
            }
        }
    }

    /// A delivery's closing lines; throws `undelivered` (exit 1) when anything stays queued.
    func finish(_ report: DeliveryReport) throws {
        try report.throwIfUndelivered(events: events)
    }

    /// On GitHub Actions with `GITHUB_STEP_SUMMARY` set, appends one Markdown table about a `ci` run
    /// to that file (what GitHub shows on the run's page). Nothing elsewhere.
    func writeStepSummary(_ outcome: CIService.Outcome) {
        guard onGitHub, let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        var rows: [(String, String)]
        switch outcome {
        case .nothing(let reason):
            rows = [("result", "nothing to post: \(reason)")]
        case .dryRun(let summary, let facts):
            rows = Self.rows(facts) + [("commits scanned", "\(summary.scanned)"), ("tagged", "\(summary.tagged)"), ("posted", "none (dry run)")]
        case .delivered(let report, let facts):
            rows = Self.rows(facts)
            if let walked = report.walked { rows += [("commits scanned", "\(walked.scanned)"), ("tagged", "\(walked.tagged)")] }
            rows += [("posted", "\(report.posted)"), ("already on Tracker", "\(report.alreadyOnTracker)"),
                     ("already delivered as another commit", "\(report.alreadyDelivered.count)"),
                     ("still queued", "\(report.undelivered.count + report.waitingForStories.count)")]
        }
        var text = "### commitbridge\n\n| | |\n|---|---|\n"
        for (name, value) in rows {
            let cell = StandardStreams.safe(value).replacingOccurrences(of: "|", with: "\\|")
            text += "| \(name) | \(cell) |\n"
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data((text + "\n").utf8))
    }

    private static func rows(_ facts: CIService.Facts) -> [(String, String)] {
        var rows = [("range", "`\(facts.range)` (\(facts.provider))")]
        if facts.deepenedBy > 0 { rows.append(("shallow clone deepened by", "\(facts.deepenedBy) commits")) }
        if let shortfall = facts.shortfall { rows.append(("not considered", shortfall)) }
        return rows
    }

    /// doctor's findings, one or two lines each, on stdout.
    func show(_ checks: [DoctorService.Check]) {
        if json {
            let items = checks.map { check -> JSONValue in
                let level = check.level == .ok ? "ok" : check.level == .note ? "note" : "problem"
                return .object([("level", .string(level)), ("text", .string(check.text)), ("fix", check.fix.map(JSONValue.string) ?? .null)])
            }
            StandardStreams.out(json: JSONValue.object([("ok", .bool(!checks.contains { $0.level == .problem })), ("checks", .array(items))]).serialized())
            return
        }
        for check in checks {
            switch check.level {
            case .ok: StandardStreams.out("ok       \(check.text)")
            case .note: StandardStreams.out("note     \(check.text)")
            case .problem:
                StandardStreams.out("PROBLEM  \(check.text)")
                StandardStreams.out("         fix: \(check.fix ?? "")")
            }
        }
    }

    /// explain: one line per commit, or one JSON object per line.
    func show(_ explanations: [ExplainService.Explanation]) {
        for item in explanations {
            if json {
                let object = JSONValue.object([
                    ("commit", .string(item.sha)), ("subject", .string(item.subject)),
                    ("verdict", .string(item.verdict.rawValue)), ("reason", .string(item.reason.rawValue)),
                    ("detail", .string(item.detail)), ("original", item.original.map(JSONValue.string) ?? .null),
                ])
                StandardStreams.out(json: object.serialized())
            } else {
                let verdict = item.verdict == .posted ? "posted" : item.verdict == .willPost ? "will post" : "will not post"
                StandardStreams.out("\(item.sha.prefix(7)) \(verdict): \(item.detail)  (\(TerminalSafeText.line(String(item.subject.prefix(60)), limit: 60)))")
            }
        }
    }

    /// status: the state directory, then each tracker's queue, ledger and cache.
    func show(stateDirectory: String, _ trackers: [StatusService.TrackerState]) {
        StandardStreams.out("state directory: \(stateDirectory)")
        for (index, state) in trackers.enumerated() {
            if index > 0 { StandardStreams.out("") }
            StandardStreams.out("tracker: \(state.tracker)")
            StandardStreams.out("queue: \(state.queued) commit\(state.queued == 1 ? "" : "s") waiting"
                                + (state.waitingForPush > 0 ? " (\(state.waitingForPush) of them for a push)" : ""))
            if state.droppedUnpushed > 0 {
                StandardStreams.out("  dropped unposted: \(state.droppedUnpushed) commit\(state.droppedUnpushed == 1 ? "" : "s") no branch held any more (amended, rebased or reset away before a push)")
            }
            if let oldest = state.oldest {
                let since = Date(timeIntervalSince1970: oldest.enqueuedAt)
                StandardStreams.out("  oldest: \(oldest.sha.prefix(7)), queued \(ISO8601DateFormatter().string(from: since)), \(oldest.attempts) attempt\(oldest.attempts == 1 ? "" : "s")")
            }
            if let lastError = state.lastError {
                StandardStreams.out("  last error: \(lastError)")
            }
            StandardStreams.out("ledger: \(state.delivered) commit\(state.delivered == 1 ? "" : "s") delivered")
            let cache = state.cache
            let rate = cache.hitRate.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a"
            StandardStreams.out("story cache: \(cache.entries) entr\(cache.entries == 1 ? "y" : "ies"), hit rate \(rate) (\(cache.hits) hits, \(cache.misses) misses)")
        }
    }
}

/// Buffered stdout (fast for 100,000 dry-run lines) and unbuffered one-line stderr.
///
/// Every line passes through here, and here it is made safe: registered secrets and URL passwords
/// are taken out (`SecretRedactor`), and a human line is put on one line without control
/// characters and cut to `TerminalSafeText.lineLimit` characters, whatever it quotes.
enum StandardStreams {
    private static let stdoutBuffer = OutputBuffer(descriptor: 1, capacity: 1 << 16)
    private static let stderrBuffer = OutputBuffer(descriptor: 2, capacity: 0)

    /// Writes `line` and a newline to stdout, through a buffer.
    static func out(_ line: String) {
        stdoutBuffer.append(safe(line))
    }

    /// Writes each line of a block of commitbridge's own text (a help page) to stdout.
    static func out(lines text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out(String(line))
        }
    }

    /// Writes one line of JSON and a newline to stdout, through a buffer: only secrets are taken
    /// out of it (its writer escapes control characters, and it is never cut).
    static func out(json line: String) {
        stdoutBuffer.append(utf8: SecretRedactor.redact(utf8: Array(line.utf8)))
    }

    /// Writes UTF-8 `line` and a newline to stdout, through a buffer. The line is JSON, whose
    /// writer already escapes control characters: only secrets are taken out of it.
    static func out(utf8 line: [UInt8]) {
        stdoutBuffer.append(utf8: SecretRedactor.redact(utf8: line))
    }

    /// Writes `line` and a newline to stderr at once (stdout is flushed first, to keep the order).
    static func err(_ line: String) {
        stdoutBuffer.flush()
        stderrBuffer.append(safe(line))
    }

    /// `line` without secrets, on one line, without control characters, and not too long.
    static func safe(_ line: String) -> String {
        TerminalSafeText.line(SecretRedactor.redact(line), limit: TerminalSafeText.lineLimit)
    }

    static func flushOut() {
        stdoutBuffer.flush()
    }
}

/// Collects lines for one file descriptor and writes them in large chunks.
private final class OutputBuffer: Sendable {
    private let descriptor: Int32
    private let capacity: Int
    private let bytes: Mutex<[UInt8]>

    /// - Parameter capacity: bytes to collect before writing; 0 writes every line at once.
    init(descriptor: Int32, capacity: Int) {
        self.descriptor = descriptor
        self.capacity = capacity
        var empty: [UInt8] = []
        empty.reserveCapacity(capacity)
        bytes = Mutex(empty)
    }

    func append(_ line: String) {
        bytes.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
            bytes.append(0x0A)
            if bytes.count >= capacity { writeAll(&bytes) }
        }
    }

    /// Appends a line that is already UTF-8, and a newline.
    func append(utf8 line: [UInt8]) {
        bytes.withLock { bytes in
            bytes.append(contentsOf: line)
            bytes.append(0x0A)
            if bytes.count >= capacity { writeAll(&bytes) }
        }
    }

    func flush() {
        bytes.withLock { writeAll(&$0) }
    }

    /// Writes the whole buffer, retrying short writes; a closed pipe drops the rest.
    private func writeAll(_ bytes: inout [UInt8]) {
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    break
                }
                offset += written
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
