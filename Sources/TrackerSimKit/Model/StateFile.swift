import Foundation

/// The `--state` file: the whole ``TrackerState`` as JSON, replaced atomically on every save.
public struct StateFile: Sendable {
    /// Where the state lives.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// True when there is a file to load.
    public var exists: Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Reads the state, or returns nil when the file does not exist.
    public func load() throws -> TrackerState? {
        guard exists else { return nil }
        return try Self.readState(at: path)
    }

    /// Writes the state to a temporary file next to `path`, then renames it over `path`, so that a
    /// reader (or a killed simulator) never sees half a file. There is no fsync: a simulator need not
    /// survive a power cut, and a sync per posted commit would slow benchmarks down.
    public func save(_ state: TrackerState) throws {
        let data = try TrackerJSON.encoder.encode(state)
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary])
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    /// Reads a fixtures or state document (they share one format).
    public static func readState(at path: String) throws -> TrackerState {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TrackerStateError.unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            return try TrackerJSON.decoder.decode(TrackerState.self, from: data)
        } catch let error as TrackerStateError {
            throw error
        } catch {
            throw TrackerStateError.unreadable(path: path, reason: "\(error)")
        }
    }

    /// The state to start from: this file when it exists, else the fixtures (if any), else nothing.
    /// A state file replaces the fixtures entirely.
    public static func initialState(fixturesPath: String?, stateFile: StateFile?) throws -> TrackerState {
        if let stateFile, let saved = try stateFile.load() { return saved }
        if let fixturesPath { return try readState(at: fixturesPath) }
        return .empty
    }
}
