import Foundation

/// Finds executables that `swift build` / `swift test` placed next to the test bundle.
public enum BuiltProducts {
    /// The build products directory (e.g. `.build/x86_64-unknown-linux-gnu/debug`).
    public static var directory: String {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().path
        }
        return Bundle.main.bundleURL.path
    }

    /// The path of a built executable product, e.g. `commitbridge`.
    public static func executable(_ name: String) -> String {
        directory + "/" + name
    }
}
