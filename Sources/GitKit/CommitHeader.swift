import Clibgit2

/// What a history walk reads from a raw commit object without libgit2's commit parser: the `parent`
/// ids, the committer's time, the `encoding` header and where the message starts. Continuation lines
/// (a signature's, starting with a space) are passed over.
struct CommitHeader {
    /// Byte ranges of the parents' hexadecimal ids, in the order the commit lists them.
    private(set) var parentHexRanges: [Range<Int>] = []
    /// The committer's time (seconds since the epoch; 0 when the line is missing or malformed).
    private(set) var commitTime: Int64 = 0
    /// The value of the `encoding` header, when there is one.
    private(set) var encodingRange: Range<Int>?
    /// The message: after the blank line that ends the header, up to the first NUL byte (libgit2
    /// copies it as a C string), empty when there is no blank line.
    private(set) var messageRange: Range<Int>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var lineStart = 0
        messageRange = bytes.count..<bytes.count
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd == lineStart {
                // The blank line that ends the header.
                let start = lineStart + 1
                var end = start
                while end < bytes.count && bytes[end] != 0 { end += 1 }
                messageRange = min(start, bytes.count)..<max(min(start, bytes.count), end)
                break
            }
            if Self.line(bytes, lineStart, lineEnd, startsWith: "parent ") {
                parentHexRanges.append((lineStart + 7)..<lineEnd)
            } else if Self.line(bytes, lineStart, lineEnd, startsWith: "committer ") {
                commitTime = Self.signatureTime(bytes, (lineStart + 10)..<lineEnd)
            } else if Self.line(bytes, lineStart, lineEnd, startsWith: "encoding ") {
                encodingRange = (lineStart + 9)..<lineEnd
            }
            lineStart = lineEnd + 1
        }
    }

    /// Parses the parent id at `hex` (one of `parentHexRanges`) of `bytes` into `id`; libgit2's
    /// return code, 0 when the id is well formed.
    static func parseParent(_ hex: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>, into id: inout git_oid) -> Int32 {
        git_oid_fromstrn(&id, UnsafeRawPointer(bytes.baseAddress! + hex.lowerBound).assumingMemoryBound(to: CChar.self), hex.count)
    }

    /// Whether the line `start..<end` of `bytes` starts with `prefix` (also used by `RawCommit`).
    static func line(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, startsWith prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard end - start >= count else { return false }
        let prefixBytes = prefix.utf8Start
        for offset in 0..<count where bytes[start + offset] != prefixBytes[offset] { return false }
        return true
    }

    /// The number after the last `>` of a signature line.
    private static func signatureTime(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64 {
        var position = range.upperBound
        while position > range.lowerBound && bytes[position - 1] != UInt8(ascii: ">") { position -= 1 }
        while position < range.upperBound && bytes[position] == UInt8(ascii: " ") { position += 1 }
        var value: Int64 = 0
        while position < range.upperBound, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int64(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        return value
    }
}
