import CommitBridgeKit
import GitKit

extension ConfigurationLoader {
    /// Loads the configuration and shows its warnings on stderr, one `warning:` line each.
    func loadShowingWarnings(_ inputs: ConfigurationInputs, repository: Repository) throws -> Configuration {
        let configuration = try load(inputs, repository: repository)
        for warning in configuration.warnings {
            StandardStreams.err("warning: \(warning)")
        }
        return configuration
    }
}
