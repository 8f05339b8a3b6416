import Glibc

/// A fixed-length array of plain values in pages of its own (an anonymous `mmap`), given back to the
/// system when it goes. glibc's `malloc` keeps large freed blocks in the heap after raising its
/// mapping threshold, where they still count as resident; walk-sized scratch arrays (several MiB on
/// a long history) must not raise the peak after they are freed. Starts zeroed. Not thread-safe.
final class MappedArray<Element: BitwiseCopyable> {
    let count: Int
    private let base: UnsafeMutablePointer<Element>?
    private let byteCount: Int

    /// An array of `count` zeroed elements; nil when the system has no memory for it.
    init?(count: Int) {
        self.count = count
        byteCount = max(1, count * MemoryLayout<Element>.stride)
        guard let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else { return nil }
        base = mapped.bindMemory(to: Element.self, capacity: max(count, 1))
    }

    deinit {
        if let base { munmap(base, byteCount) }
    }

    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "index out of range")
            return base![index]
        }
        set {
            precondition(index >= 0 && index < count, "index out of range")
            base![index] = newValue
        }
    }

    /// The elements as a buffer, for loops that must not check each index.
    var buffer: UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }
}
