import Foundation

/// Collects lines for one file descriptor and writes them in large chunks.
final class OutputBuffer: @unchecked Sendable {
    private let descriptor: Int32
    private let capacity: Int
    private var bytes: [UInt8] = []
    private let lock = NSLock()

    /// - Parameter capacity: bytes to collect before writing; 0 writes every line at once.
    init(descriptor: Int32, capacity: Int) {
        self.descriptor = descriptor
        self.capacity = capacity
        bytes.reserveCapacity(capacity)
    }

    func append(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        bytes.append(contentsOf: line.utf8)
        bytes.append(0x0A)
        if bytes.count >= capacity { writeAll() }
    }

    /// Appends a line that is already UTF-8, and a newline.
    func append(utf8 line: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        bytes.append(contentsOf: line)
        bytes.append(0x0A)
        if bytes.count >= capacity { writeAll() }
    }

    func flush() {
        lock.lock()
        defer { lock.unlock() }
        writeAll()
    }

    /// Writes the whole buffer, retrying short writes; a closed pipe drops the rest.
    private func writeAll() {
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    break
                }
                offset += written
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
