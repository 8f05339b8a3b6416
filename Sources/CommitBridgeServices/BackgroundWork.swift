import Foundation

/// A piece of synchronous work started on a thread of its own, so that the caller can do something
/// else meanwhile; `value()` waits for its result. A replay opens its state database this way
/// while it walks the history.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Unchecked: `result` is only read and written with `condition` locked.
    private let condition = NSCondition()
    private var result: Result<Value, Error>?

    /// Starts `work` at once.
    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            let outcome = Result { try work() }
            condition.lock()
            result = outcome
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The work's value, waiting for it if need be; rethrows the work's error. May be called again.
    func value() throws -> Value {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}
