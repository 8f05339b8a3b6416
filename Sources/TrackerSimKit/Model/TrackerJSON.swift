import Foundation

/// The JSON coders the simulator uses everywhere: ISO 8601 dates (`2024-05-01T12:00:00Z`).
enum TrackerJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        // Stable key order (readable state files and diffs); URLs without escaped slashes.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
