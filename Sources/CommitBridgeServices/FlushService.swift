import CommitBridgeCore
import Foundation

/// `flush`: delivers what is queued, here and now, or as the background delivery a hook starts.
public enum FlushService {
    /// What a flush came to.
    public enum Outcome: Sendable {
        /// A delivery pass ran.
        case delivered(DeliveryReport)
        /// Nothing was waiting to be posted, and why (also sent as a note).
        case nothing(String)
    }

    /// One delivery pass over the queue of the configured tracker; nil when nothing is queued.
    public static func flush(_ inputs: ConfigurationInputs, events: @escaping EventSink) async throws -> DeliveryReport? {
        if case .delivered(let report) = try await run(inputs, events: events) { return report }
        return nil
    }

    /// One delivery pass over the queue of the configured tracker, or why there was none.
    public static func run(_ inputs: ConfigurationInputs, events: @escaping EventSink) async throws -> Outcome {
        try await run(Workspace.open(inputs, events: events).configuration, events: events)
    }

    static func flush(_ configuration: Configuration, events: @escaping EventSink) async throws -> DeliveryReport? {
        if case .delivered(let report) = try await run(configuration, events: events) { return report }
        return nil
    }

    static func run(_ configuration: Configuration, events: @escaping EventSink) async throws -> Outcome {
        let store = try StateDirectory.openForDelivery(configuration, events: events)
        if let settled = try HookService.settle(configuration, push: nil, in: store, events: events), let line = settled.line {
            events(.note(line))
        }
        guard try store.queued().contains(where: { !$0.awaitingPush }) else {
            let reason = try store.queueCount() > 0 ? "nothing to post: the queued commits wait for a push" : "nothing queued"
            events(.note(reason))
            return .nothing(reason)
        }
        return .delivered(try await DeliveryService.pass(store, configuration, events: events))
    }

    /// The background delivery a hook starts (`flush --background`): its settings arrive as one
    /// `BackgroundJob` on standard input, never on the command line. It holds the flusher lock for
    /// its whole life and delivers pass after pass, so that commits queued by hooks while it runs go
    /// out with it. It stops after a pass that delivered nothing (Tracker down: the next hook or
    /// `flush` tries again), or when the queue holds no commit it has not tried yet; before stopping
    /// it lets go of the lock and looks once more, so a commit a hook queued while it was finishing
    /// is never left behind.
    /// - Parameter heldLock: the descriptor on which the hook handed over the flusher lock.
    public static func deliverInBackground(job data: Data, heldLock: Int32?, events: @escaping EventSink) async throws {
        let configuration = try BackgroundJob.configuration(from: data)
        var opened: (any DeliveryStore)?
        if let push = try BackgroundJob.push(from: data) {
            // Started by pre-push: the push has not happened yet. Once git has ended, what the
            // remote-tracking branches hold tells what it pushed (a rejected push moves none of them).
            push.waitForGit()
            let store = try StateDirectory.openForDelivery(configuration, events: events)
            opened = store
            if let settled = try HookService.settle(configuration, push: push, in: store, events: events), let line = settled.line {
                events(.note("after the push to \(RemoteSafeText.redactingCredentials(push.remote)): \(line)"))
            }
        }
        let lock: FlusherLock
        if let descriptor = heldLock, let adopted = FlusherLock.adopt(descriptor: descriptor) {
            lock = adopted
        } else if let taken = try FlusherLock.take(stateDirectory: configuration.stateDirectory.value) {
            lock = taken
        } else {
            events(.note("a background delivery is running already; it takes the queued commits"))
            return
        }
        events(.note(BackgroundJob.describe(configuration)))
        let store = try opened ?? StateDirectory.openForDelivery(configuration, events: events)
        func takeInSpill() { StateDirectory.takeInSpill(into: store, configuration).forEach { events(.warning($0)) } }
        var tried = Set<String>()
        while true {
            takeInSpill()
            // Commits waiting for a push are not this delivery's to try.
            let queued = try store.queued().filter { !$0.awaitingPush }.map(\.sha)
            if queued.allSatisfy(tried.contains) {
                // Hand over: a hook that found the lock taken had queued its commits before trying it.
                lock.release()
                takeInSpill()
                guard try store.queued().contains(where: { !$0.awaitingPush && !tried.contains($0.sha) }), try lock.retake() else { return }
                continue
            }
            let report = try await DeliveryService.pass(store, configuration, events: events)
            tried.formUnion(queued)
            if let problem = report.authenticationProblem { events(.problem(problem)) }
            report.waitingLine.map { events(.note($0)) }
            events(.note(report.line))
            let delivered = report.posted + report.alreadyOnTracker
            if delivered == 0 || report.authenticationProblem != nil { return }
        }
    }

    /// Starts the background delivery for `configuration` unless one is running (it takes these
    /// commits too: it looks at the queue again after each pass).
    static func startInBackground(_ configuration: Configuration) throws {
        try StateDirectory.prepare(configuration)
        guard let lock = try FlusherLock.take(stateDirectory: configuration.stateDirectory.value) else { return }
        try BackgroundProcess.start(
            arguments: ["flush", "--background", "--held-lock", String(FlusherLock.inheritedDescriptor)],
            input: try BackgroundJob.encode(configuration),
            logFile: configuration.stateDirectory.value + "/delivery.log", handing: lock)
    }

    /// Starts the background delivery a pre-push hook hands `push` to. It does not hold the
    /// flusher lock while it waits for the push; afterwards it takes it, or leaves the pushed commits
    /// to the delivery that holds it (which looks at the queue again before it stops).
    static func startPushDelivery(_ configuration: Configuration, push: PushJob) throws {
        try StateDirectory.prepare(configuration)
        try BackgroundProcess.start(
            arguments: ["flush", "--background"],
            input: try BackgroundJob.encode(configuration, push: push),
            logFile: configuration.stateDirectory.value + "/delivery.log")
    }
}

/// Everything a background delivery needs, handed from the hook to the child process as one JSON
/// document on the child's standard input: the whole configuration as resolved by the hook (so no
/// setting is lost on the way, and none is read twice), never a command line that would have to
/// list each option (and would show the token to `ps`).
struct BackgroundJob: Codable, Sendable {
    struct Setting<Value: Codable & Sendable>: Codable, Sendable {
        var value: Value
        var source: String
    }

    var tracker: Setting<String>
    var token: Setting<String>?
    var commitURLTemplate: Setting<String>?
    var branches: Setting<[String]>
    var stateDirectory: Setting<String>
    var delivery: DeliveryOptions
    var gitDirectory: String?
    /// Authors' own tokens, by e-mail address.
    var authorTokens: [String: Setting<String>]?
    /// Set by pre-push: the push to wait for and settle the queue against.
    var push: PushJob?

    /// A pipe holds this much without a reader; a job is a few hundred bytes.
    static let largest = 60_000

    static func encode(_ configuration: Configuration, push: PushJob? = nil) throws -> Data {
        func setting<V>(_ resolved: ResolvedSetting<V>) -> Setting<V> { Setting(value: resolved.value, source: resolved.source.rawValue) }
        let job = BackgroundJob(
            tracker: Setting(value: configuration.tracker.value.baseURL, source: configuration.tracker.source.rawValue),
            token: configuration.token.map { Setting(value: $0.value.revealedForRequest, source: $0.source.rawValue) },
            commitURLTemplate: configuration.commitURLTemplate.map(setting),
            branches: setting(configuration.branches),
            stateDirectory: setting(configuration.stateDirectory),
            delivery: configuration.delivery, gitDirectory: configuration.gitDirectory,
            authorTokens: configuration.authorTokens.isEmpty ? nil
                : configuration.authorTokens.mapValues { Setting(value: $0.value.revealedForRequest, source: $0.source.rawValue) },
            push: push)
        let data = try JSONEncoder().encode(job)
        guard data.count <= largest else {
            throw CommitBridgeError.configuration("the settings are too long to hand to a background delivery (\(data.count) bytes)")
        }
        return data
    }

    /// The configuration a hook handed over; the token is registered with the redactor at once.
    static func configuration(from data: Data) throws -> Configuration {
        let job: BackgroundJob
        do {
            job = try JSONDecoder().decode(BackgroundJob.self, from: data)
        } catch {
            throw CommitBridgeError.usage("a background delivery takes its settings on standard input from a hook; none were readable")
        }
        func source(_ text: String) -> SettingSource { SettingSource(rawValue: text) ?? .flag }
        func resolved<V>(_ setting: Setting<V>) -> ResolvedSetting<V> { ResolvedSetting(value: setting.value, source: source(setting.source)) }
        if let problem = job.delivery.problem { throw CommitBridgeError.usage(problem) }
        // The hook validated the URL already, with or without --allow-insecure-http.
        let endpoint = try TrackerEndpoint(validating: job.tracker.value, allowInsecureHTTP: true)
        let token = try job.token.flatMap { setting -> ResolvedSetting<TrackerToken>? in
            try ConfigurationLoader.token(setting.value, from: "the hook's settings").map { ResolvedSetting(value: $0, source: source(setting.source)) }
        }
        var configuration = Configuration(tracker: ResolvedSetting(value: endpoint, source: source(job.tracker.source)), token: token,
                                          commitURLTemplate: job.commitURLTemplate.map(resolved), branches: resolved(job.branches),
                                          stateDirectory: resolved(job.stateDirectory), delivery: job.delivery)
        configuration.gitDirectory = job.gitDirectory
        for (email, setting) in job.authorTokens ?? [:] {
            if let token = try ConfigurationLoader.token(setting.value, from: "the hook's settings") {
                configuration.authorTokens[email] = ResolvedSetting(value: token, source: source(setting.source))
            }
        }
        return configuration
    }

    /// The push a pre-push hook handed over, if it was one.
    static func push(from data: Data) throws -> PushJob? {
        try? JSONDecoder().decode(BackgroundJob.self, from: data).push
    }

    /// The first line a background delivery writes to its log: the settings it runs with.
    static func describe(_ configuration: Configuration) -> String {
        let options = configuration.delivery
        func seconds(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
        return "background delivery to \(RemoteSafeText.redactingCredentials(configuration.tracker.value.baseURL)), "
            + "state directory \(configuration.stateDirectory.value), concurrency \(options.concurrency), "
            + "timeout \(seconds(options.requestTimeout)) s, cache TTL \(seconds(options.cacheTimeToLive)) s"
            + (options.retryMissing ? ", asking again about missing stories" : "")
    }
}

/// Starts `commitbridge` as a detached process (its own session, stdin from a pipe holding its
/// input, stdout and stderr appended to a log file), so a hook returns at once and git never waits
/// for Tracker. The child keeps none of the hook's pipes open.
enum BackgroundProcess {
    /// - Parameters:
    ///   - arguments: the child's arguments, after the executable.
    ///   - input: all the child reads on its standard input (at most `BackgroundJob.largest` bytes).
    ///   - lock: the background delivery's lock, handed to the child as descriptor
    ///     `FlusherLock.inheritedDescriptor`; it stays held as long as the child lives.
    static func start(arguments: [String], input: Data, logFile: String, handing lock: FlusherLock? = nil) throws {
        markInheritedDescriptorsCloseOnExec()
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw CommitBridgeError.configuration("cannot start background delivery: \(String(cString: strerror(errno)))")
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        defer { close(ends[0]) }
        // The whole input fits in the pipe's buffer: written before the child starts, then closed,
        // so the child reads it to its end and the hook never waits for the child.
        let written = input.withUnsafeBytes { Foundation.write(ends[1], $0.baseAddress, $0.count) }
        close(ends[1])
        guard written == input.count else {
            throw CommitBridgeError.configuration("cannot hand the settings to a background delivery: \(String(cString: strerror(errno)))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let lock {
            posix_spawn_file_actions_adddup2(&actions, lock.descriptor, FlusherLock.inheritedDescriptor)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26+; the macro is not visible to Swift): the child starts its own session.
        posix_spawnattr_setflags(&attributes, Int16(0x80))

        let executable = executablePath
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw CommitBridgeError.configuration("cannot start background delivery: \(String(cString: strerror(status)))")
        }
    }

    /// The running binary's absolute path.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Sends stderr to the end of `path` from now on (a background hook has no terminal to write to).
    static func redirectErrors(toLog path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        dup2(descriptor, 2)
        close(descriptor)
    }

    /// Any descriptor above stderr that this process inherited or opened without close-on-exec (a
    /// duplicate of a pipe git or a test harness waits on, say) would keep that pipe open in the child
    /// for as long as delivery runs. The hook process exits right after spawning, so marking them all
    /// close-on-exec here costs it nothing.
    private static func markInheritedDescriptorsCloseOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let descriptor = Int32(entry), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
