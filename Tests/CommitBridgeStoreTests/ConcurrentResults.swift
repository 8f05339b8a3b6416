import Foundation

/// Results gathered from several threads of a test.
final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var addedTotal = 0
    private var errorDescriptions: [String] = []

    func add(added: Int) {
        lock.lock()
        defer { lock.unlock() }
        addedTotal += added
    }

    func add(error: Error) {
        lock.lock()
        defer { lock.unlock() }
        errorDescriptions.append("\(error)")
    }

    var added: Int {
        lock.lock()
        defer { lock.unlock() }
        return addedTotal
    }

    var errors: [String] {
        lock.lock()
        defer { lock.unlock() }
        return errorDescriptions
    }
}
