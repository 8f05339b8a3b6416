import Foundation
import XCTest

/// A `tracker-sim` executable running in a child process, for the tests that use the real binary.
final class SimulatorProcess: @unchecked Sendable {
    /// Where `swift build` / `swift test` put the executable: next to the test bundle. On macOS that is
    /// the `.xctest` bundle's folder; on Linux the test runner is itself the `.xctest` executable, and
    /// `Bundle.main` is the products folder.
    static var executablePath: String {
        let folder = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
            ?? Bundle.main.bundleURL
        return folder.appendingPathComponent("tracker-sim").path
    }

    let process = Process()
    private let output = Pipe()
    /// The first line the simulator printed.
    private(set) var firstLine = ""

    init(arguments: [String]) throws {
        let path = Self.executablePath
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: """
                no tracker-sim at \(path); build it first: \
                swift build --scratch-path .build-sim --product tracker-sim
                """)
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Reads stdout up to the first newline, waiting at most `timeout` seconds.
    func readFirstLine(timeout: TimeInterval = 20) throws -> String {
        let done = DispatchSemaphore(value: 0)
        let handle = output.fileHandleForReading
        let box = LineBox()
        Thread.detachNewThread {
            var bytes = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                bytes.append(chunk)
                if bytes.contains(UInt8(ascii: "\n")) { break }
            }
            box.set(String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self))
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success else {
            throw Failure(description: "tracker-sim printed no line within \(timeout) s")
        }
        firstLine = box.value
        return firstLine
    }

    /// Sends SIGTERM and waits for the process to end.
    func terminate() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Why the process could not be used.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// A string handed from the reading thread to the test.
private final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var line = ""

    var value: String { lock.withLock { line } }
    func set(_ newValue: String) { lock.withLock { line = newValue } }
}
