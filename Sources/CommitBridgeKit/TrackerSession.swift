import CommitBridgeCore
import TrackerClient

/// A Tracker client built from the configuration; needs a token.
public enum TrackerSession {
    /// Runs `work` with a live client, and closes its connections afterwards.
    public static func with<T: Sendable>(_ configuration: Configuration, options: DeliveryOptions,
                                         _ work: (TrackerAPI) async throws -> T) async throws -> T {
        guard let token = configuration.token?.value else {
            throw CommitBridgeError.missingToken
        }
        let client = HTTPTrackerClient(endpoint: configuration.tracker.value, token: token,
                                       concurrency: options.concurrency, timeout: options.requestTimeout)
        do {
            let result = try await work(client.api)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
