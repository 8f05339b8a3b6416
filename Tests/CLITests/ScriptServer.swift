import Foundation

/// A small HTTP server written in Python for one test, running in a process of its own on
/// 127.0.0.1. Its script prints the address it listens on as its first line; the process is
/// stopped when this value is released.
final class ScriptServer {
    /// The address from the script's first line, e.g. `http://127.0.0.1:PORT`.
    let origin: String
    private let process = Process()

    /// Starts `python3 -c script arguments…` and waits for a first line holding `scheme://127.0.0.1:`.
    init(_ name: String, script: String, arguments: [String], scheme: String = "http") throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while line.count < 200 {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "\(scheme)://127.0.0.1:") else {
            process.terminate()
            throw Failure.setUp("the \(name) did not start: '\(text)'")
        }
        origin = String(text[range.lowerBound...])
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    enum Failure: Error {
        case setUp(String)
    }
}
