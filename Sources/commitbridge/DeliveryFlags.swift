import ArgumentParser
import CommitBridgeKit

/// Flags for commands that talk to Tracker.
struct DeliveryFlags: ParsableArguments {
    @Option(name: .long, help: "Requests in flight at most.")
    var concurrency: Int = 4

    @Option(name: .long, help: "Seconds a cached story look-up stays valid.")
    var cacheTtl: Double = 3600

    @Option(name: .long, help: "Seconds one request may take.")
    var timeout: Double = 30

    @Flag(name: .long, help: "Ask Tracker again now about stories it said do not exist (else after --cache-ttl).")
    var retryMissing = false

    /// The longest `--timeout` taken: one request that needs more than an hour is a hang, and the
    /// HTTP library stops the process on a deadline it cannot represent.
    static let maximumTimeout: Double = 3600

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency takes 1 to 64") }
        // `inf` and `nan` parse as numbers: refused here, before any library sees them.
        guard cacheTtl.isFinite, cacheTtl >= 0 else {
            throw ValidationError("--cache-ttl takes a finite number of seconds, 0 or more")
        }
        guard timeout.isFinite, timeout > 0, timeout <= Self.maximumTimeout else {
            throw ValidationError("--timeout takes a number of seconds above 0 and at most \(Int(Self.maximumTimeout))")
        }
    }

    var options: DeliveryOptions {
        DeliveryOptions(concurrency: concurrency, cacheTimeToLive: cacheTtl, requestTimeout: timeout,
                        retryMissing: retryMissing)
    }
}
