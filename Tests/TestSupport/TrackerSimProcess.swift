import Foundation

/// A running `tracker-sim` on 127.0.0.1, started for one test and stopped when released.
public final class TrackerSimProcess: @unchecked Sendable {
    public let process: Process
    /// `http://127.0.0.1:PORT`
    public let origin: String
    public let token: String
    private let output: Pipe

    /// The API base URL to give commitbridge.
    public var apiURL: String { origin + "/services/v5" }

    /// Starts the simulator with `fixtures` (written to `directory`) and extra flags.
    public init(fixtures: String, token: String = "sim-token-0123456789", directory: String,
                arguments: [String] = []) throws {
        let fixtureFile = directory + "/fixtures-\(UUID().uuidString).json"
        try fixtures.write(toFile: fixtureFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.executable("tracker-sim"))
        process.arguments = ["--port", "0", "--fixtures", fixtureFile, "--token", token] + arguments
        output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        self.token = token
        try process.run()
        // The first line is "listening on http://127.0.0.1:PORT".
        var line = Data()
        let handle = output.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://127.0.0.1:") else {
            process.terminate()
            throw SimError.noListeningLine(text)
        }
        origin = String(text[range.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        // Keep draining stdout so the simulator never blocks on a full pipe.
        DispatchQueue.global().async { [output] in
            _ = output.fileHandleForReading.readDataToEndOfFile()
        }
    }

    deinit {
        stop()
    }

    /// Stops the simulator (SIGTERM) and waits for it.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// GETs a simulator path (no token needed under /__sim) and decodes the JSON.
    public func getJSON(_ path: String) throws -> Any {
        let result = try ProcessRunner.run("/usr/bin/curl", ["-s", "--max-time", "10", origin + path])
        guard result.status == 0 else { throw SimError.requestFailed(path, result.err) }
        return try JSONSerialization.jsonObject(with: result.stdout)
    }

    /// `/__sim/stats` as a dictionary of counters.
    public func stats() throws -> [String: Int] {
        guard let object = try getJSON("/__sim/stats") as? [String: Any] else { throw SimError.requestFailed("stats", "not an object") }
        return object.compactMapValues { ($0 as? NSNumber)?.intValue }
    }

    public enum SimError: Error, CustomStringConvertible {
        case noListeningLine(String)
        case requestFailed(String, String)

        public var description: String {
            switch self {
            case .noListeningLine(let line): return "tracker-sim did not announce its port: '\(line)'"
            case .requestFailed(let path, let why): return "request to \(path) failed: \(why)"
            }
        }
    }
}

extension TrackerSimProcess {
    /// GETs an API path with the token and decodes the JSON.
    public func api(_ path: String) throws -> Any {
        let result = try ProcessRunner.run("/usr/bin/curl", ["-s", "--max-time", "10", "-H", "X-TrackerToken: \(token)", apiURL + path])
        guard result.status == 0 else { throw SimError.requestFailed(path, result.err) }
        return try JSONSerialization.jsonObject(with: result.stdout)
    }

    /// Every story as the simulator holds it, from `/__sim/stories` (never subject to injected faults).
    public func storiesByID() throws -> [Int64: [String: Any]] {
        let list = try getJSON("/__sim/stories") as? [[String: Any]] ?? []
        var result: [Int64: [String: Any]] = [:]
        for story in list {
            if let id = (story["id"] as? NSNumber)?.int64Value { result[id] = story }
        }
        return result
    }

    /// A story's `current_state`.
    public func state(ofStory id: Int64) throws -> String? {
        try storiesByID()[id]?["current_state"] as? String
    }

    /// The `commit_identifier`s of a story's comments, one entry per comment (duplicates kept).
    public func commitIdentifiers(project: Int64, story: Int64) throws -> [String] {
        let comments = try storiesByID()[story]?["comments"] as? [[String: Any]] ?? []
        return comments.compactMap { $0["commit_identifier"] as? String }
    }
}
