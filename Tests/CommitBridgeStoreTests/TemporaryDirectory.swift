import Foundation

/// A fresh directory under the system's temporary directory, removed with everything in it when
/// the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("commitbridge-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `path` joined with a relative path.
    func appending(_ component: String) -> String {
        (path as NSString).appendingPathComponent(component)
    }

    /// The names in a directory under this one (`""` for this one), sorted.
    func names(in relative: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? path : appending(relative)).sorted()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
