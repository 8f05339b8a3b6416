/// Where a configuration value came from, strongest first.
public enum SettingSource: String, Sendable, Hashable {
    case flag
    case environment
    case gitConfig = "git config"
    case defaultValue = "default"
}
