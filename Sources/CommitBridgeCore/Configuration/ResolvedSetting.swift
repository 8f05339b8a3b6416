

/// A configuration value together with the place it was taken from.
public struct ResolvedSetting<Value: Sendable & Hashable>: Sendable, Hashable {
    public let value: Value
    public let source: SettingSource

    public init(value: Value, source: SettingSource) {
        self.value = value
        self.source = source
    }

    /// The first present value in precedence order: flag, environment, git config, default.
    /// Empty strings count as unset.
    public static func pick(flag: Value?, environment: Value?, gitConfig: Value?, fallback: Value) -> ResolvedSetting<Value> {
        if let flag, !isBlank(flag) { return ResolvedSetting(value: flag, source: .flag) }
        if let environment, !isBlank(environment) { return ResolvedSetting(value: environment, source: .environment) }
        if let gitConfig, !isBlank(gitConfig) { return ResolvedSetting(value: gitConfig, source: .gitConfig) }
        return ResolvedSetting(value: fallback, source: .defaultValue)
    }

    private static func isBlank(_ value: Value) -> Bool {
        if let text = value as? String { return text.isEmpty }
        return false
    }
}

/// Where a configuration value came from, strongest first.
public enum SettingSource: String, Sendable, Hashable {
    case flag
    case environment
    case gitConfig = "git config"
    case defaultValue = "default"
}
