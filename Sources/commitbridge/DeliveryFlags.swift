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

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency takes 1 to 64") }
        guard cacheTtl >= 0 else { throw ValidationError("--cache-ttl cannot be negative") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    var options: DeliveryOptions {
        DeliveryOptions(concurrency: concurrency, cacheTimeToLive: cacheTtl, requestTimeout: timeout,
                        retryMissing: retryMissing)
    }
}
