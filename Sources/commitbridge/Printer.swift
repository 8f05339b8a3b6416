import CommitBridgeServices
import Foundation
import Synchronization


/// Renders what the services report: dry-run decisions (a readable listing, or one JSON object per
/// line with `json`), delivery progress, warnings and notes, summaries, doctor's checks and status.
/// Every line goes out through `StandardStreams`.
///
/// `quiet` keeps only errors, problems and warnings on stderr; `verbose` adds detail lines (where
/// each setting came from, each commit as its delivery ends). Commits that stay queued for the same
/// reason are gathered and shown as one line when their pass ends (each one as it happens with
/// `verbose`). A progress line is drawn only on a terminal, never with `quiet` or `json`.
struct Printer: Sendable {
    var json = false
    var quiet = false
    var verbose = false
    /// On GitHub Actions, warnings become `::warning::` annotations and `ci` writes a step summary.
    var onGitHub = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"
    /// Whether `progress` events are drawn: stderr is a terminal, and neither `quiet` nor `json`.
    var drawsProgress: Bool
    private let state = PrinterState()

    init(json: Bool = false, quiet: Bool = false, verbose: Bool = false) {
        self.json = json
        self.quiet = quiet
        self.verbose = verbose
        drawsProgress = !json && !quiet && isatty(2) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

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
        case .note(let text): if !quiet { StandardStreams.err(text) }
        case .detail(let text): if verbose { StandardStreams.err(text) }
        case .problem(let text): StandardStreams.err("commitbridge: \(text)")
        case .decision(let decision, let effects): show(decision, effects: effects)
        case .delivery(.delivered(let sha, let outcome)):
            if verbose {
                StandardStreams.err("\(sha.prefix(7)) " + (outcome == .posted ? "posted" : "already on Tracker: recorded, not posted"))
            }
        case .delivery(.rewritten(let sha, let original)):
            if !quiet {
                StandardStreams.err("\(sha.prefix(7)) already delivered as \(original.prefix(7)) (the same change, rewritten): not posted")
            }
        case .delivery(.failed(let sha, let problem, let stories)), .delivery(.held(let sha, let problem, let stories)):
            if verbose {
                StandardStreams.err("\(sha.prefix(7)) stays queued: \(problem)")
            } else {
                state.gather(sha: sha, problem: problem, stories: stories)
            }
        case .delivery(.passEnded):
            StandardStreams.clearProgress()
            state.takeFailures().forEach { StandardStreams.err($0.line) }
        case .progress(let progress):
            if drawsProgress, let line = state.progressLine(progress) { StandardStreams.progress(line) }
        }
    }

    /// A note (a summary) on stderr, unless `quiet`.
    func note(_ text: String) {
        show(.note(text))
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

    /// A delivery's closing lines (and, with `json`, its JSON document on stdout); throws
    /// `undelivered` (exit 1) when anything stays queued.
    func finish(_ report: DeliveryReport, command: String, facts: CIService.Facts? = nil) throws {
        if json {
            StandardStreams.out(json: OutputJSON.delivery(report, command: command, facts: facts).serialized())
        }
        try report.throwIfUndelivered(events: events)
    }

    /// With `json`, the document of a delivery command that had nothing to post; the reason went
    /// out as a note already.
    func nothingToPost(_ reason: String, command: String) {
        guard json else { return }
        StandardStreams.out(json: OutputJSON.delivery(DeliveryReport(), command: command, nothing: reason).serialized())
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

    /// status: the state directory, then each tracker's queue, ledger and cache (one JSON document
    /// with `json`).
    func show(stateDirectory: String, _ trackers: [StatusService.TrackerState]) {
        if json {
            StandardStreams.out(json: OutputJSON.status(stateDirectory: stateDirectory, trackers).serialized())
            return
        }
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

/// What a `Printer` remembers between events: the commits that stay queued, gathered by reason
/// until their pass ends, and when the current progress began.
final class PrinterState: Sendable {
    /// Commits that stay queued for one reason.
    struct Failure: Sendable {
        var problem: String
        var firstSHA: String
        var count = 1
        var stories: [Int64] = []

        /// `1a2b3c4 stays queued: <problem> (story #5)`, or
        /// `76 commits stay queued: <problem> (stories #1, #2, … and 3 more)`.
        var line: String {
            let shown = stories.prefix(10).map { "#\($0)" }.joined(separator: ", ")
            let more = stories.count > 10 ? " and \(stories.count - 10) more" : ""
            let names = stories.isEmpty ? "" : " (\(stories.count == 1 ? "story" : "stories") \(shown)\(more))"
            let subject = count == 1 ? "\(firstSHA.prefix(7)) stays" : "\(count) commits stay"
            return "\(subject) queued: \(problem)\(names)"
        }
    }

    private struct Inner: Sendable {
        var failures: [Failure] = []
        var failureIndex: [String: Int] = [:]
        var progressKind: WorkProgress.Kind?
        var progressStart = 0.0
        /// The first report with something done: the rate is measured from there, so that the
        /// time before the first item (opening, looking stories up) does not count.
        var baseline: (time: Double, done: Int)?
    }

    private let inner = Mutex(Inner())

    /// A progress line is drawn once the work has gone on this many seconds.
    static let progressDelay = 1.0

    func gather(sha: String, problem: String, stories: [Int64]) {
        inner.withLock { inner in
            if let index = inner.failureIndex[problem] {
                inner.failures[index].count += 1
                for story in stories where !inner.failures[index].stories.contains(story) {
                    inner.failures[index].stories.append(story)
                }
            } else {
                inner.failureIndex[problem] = inner.failures.count
                var stories = stories
                stories.removeDuplicates()
                inner.failures.append(Failure(problem: problem, firstSHA: sha, stories: stories))
            }
        }
    }

    /// The failures gathered since the last call, in the order their reasons first came.
    func takeFailures() -> [Failure] {
        inner.withLock { inner in
            defer { inner.failures = []; inner.failureIndex = [:] }
            return inner.failures.map { failure in
                var sorted = failure
                sorted.stories.sort()
                return sorted
            }
        }
    }

    /// The line to draw for `progress`, or nil while the work is younger than `progressDelay`.
    func progressLine(_ progress: WorkProgress) -> String? {
        let now = ProcessInfo.processInfo.systemUptime
        let timing: (elapsed: Double, rate: Double?)? = inner.withLock { inner in
            if progress.done == 0 || inner.progressKind != progress.kind {
                inner.progressKind = progress.kind
                inner.progressStart = now
                inner.baseline = nil
                return nil
            }
            guard let baseline = inner.baseline else {
                inner.baseline = (now, progress.done)
                return (now - inner.progressStart, nil)
            }
            let span = now - baseline.time
            return (now - inner.progressStart, span > 0.05 ? Double(progress.done - baseline.done) / span : nil)
        }
        guard let timing, timing.elapsed >= Self.progressDelay else { return nil }
        return Self.describe(progress, rate: timing.rate)
    }

    /// e.g. `posting: 23/60 commits, 12.5/s, about 3 s left` or `scanning: 40960 commits, 35120/s`;
    /// without the rate while it is not known yet.
    static func describe(_ progress: WorkProgress, rate: Double?) -> String {
        let perSecond = rate.map { ", " + ($0 >= 100 ? String(Int($0.rounded())) : String(format: "%.1f", $0)) + "/s" } ?? ""
        switch progress.kind {
        case .scan:
            return "scanning: \(progress.done) commits\(perSecond)"
        case .delivery:
            guard let total = progress.total else { return "posting: \(progress.done) commits\(perSecond)" }
            var text = "posting: \(progress.done)/\(total) commits\(perSecond)"
            if let rate, rate > 0, progress.done < total {
                let left = Int((Double(total - progress.done) / rate).rounded(.up))
                text += ", about " + (left < 60 ? "\(left) s" : "\(left / 60) min \(left % 60) s") + " left"
            }
            return text
        }
    }
}

private extension Array where Element: Hashable {
    mutating func removeDuplicates() {
        var seen = Set<Element>()
        self = filter { seen.insert($0).inserted }
    }
}

/// Buffered stdout (fast for 100,000 dry-run lines) and unbuffered one-line stderr.
///
/// Every line passes through here, and here it is made safe: registered secrets and URL passwords
/// are taken out (`SecretRedactor`), and a human line is put on one line without control
/// characters and cut to `TerminalSafeText.lineLimit` characters, whatever it quotes.
enum StandardStreams {
    private static let stdoutBuffer = OutputBuffer(descriptor: 1, capacity: 1 << 16, clearsProgress: isatty(1) == 1)
    private static let stderrBuffer = OutputBuffer(descriptor: 2, capacity: 0)
    /// Whether a progress line is on the terminal now.
    private static let progressShown = Mutex(false)

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
        clearProgress()
        stderrBuffer.append(safe(line))
    }

    /// Draws `line` as the progress line on stderr (a terminal): back to the start of the line,
    /// the text, and the rest of the line erased, with no newline, so the next one replaces it.
    static func progress(_ line: String) {
        let text = "\r" + safe(line) + "\u{1B}[K"
        progressShown.withLock { shown in
            OutputBuffer.write(Array(text.utf8), to: 2)
            shown = true
        }
    }

    /// Erases the progress line, if one is shown.
    static func clearProgress() {
        progressShown.withLock { shown in
            guard shown else { return }
            OutputBuffer.write(Array("\r\u{1B}[K".utf8), to: 2)
            shown = false
        }
    }

    /// `line` without secrets, on one line, without control characters, and not too long.
    static func safe(_ line: String) -> String {
        TerminalSafeText.line(SecretRedactor.redact(line), limit: TerminalSafeText.lineLimit)
    }

    static func flushOut() {
        stdoutBuffer.flush()
        clearProgress()
    }
}

/// Collects lines for one file descriptor and writes them in large chunks.
private final class OutputBuffer: Sendable {
    private let descriptor: Int32
    private let capacity: Int
    private let bytes: Mutex<[UInt8]>
    /// Erase the progress line (on stderr) before writing: both go to the same terminal.
    private let clearsProgress: Bool

    /// - Parameter capacity: bytes to collect before writing; 0 writes every line at once.
    init(descriptor: Int32, capacity: Int, clearsProgress: Bool = false) {
        self.descriptor = descriptor
        self.capacity = capacity
        self.clearsProgress = clearsProgress
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
        if clearsProgress && !bytes.isEmpty { StandardStreams.clearProgress() }
        Self.write(bytes, to: descriptor)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` to `descriptor`, retrying short writes; a closed pipe drops the rest.
    static func write(_ bytes: [UInt8], to descriptor: Int32) {
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
    }
}
