import Glibc

/// What the reader takes from a commit object, read from its raw bytes as libgit2's commit parser reads
/// them, but only for commits of the ordinary shape: `tree`, `parent`s, one `author`, `committer`,
/// then any other headers but `encoding`, a blank line and the message. Anything else (an encoding
/// to convert, a second author line, a signature libgit2 would trim or reject differently) gives nil,
/// and the commit is read through the caller's fallback (libgit2), so the two never disagree.
struct RawCommit {
    let parentCount: Int
    let authorName: Range<Int>
    let authorEmail: Range<Int>
    let authorTime: Int64
    let committerTime: Int64
    /// After the blank line that ends the header, up to the first NUL byte (libgit2 copies the
    /// message as a C string); empty when there is no blank line.
    let message: Range<Int>

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return nil }
        var position = 0
        guard let tree = Self.line(bytes, from: &position), Self.isObjectLine(bytes, tree, prefix: "tree ") else { return nil }
        var parents = 0
        var line = Self.line(bytes, from: &position)
        while let current = line, Self.isObjectLine(bytes, current, prefix: "parent ") {
            parents += 1
            line = Self.line(bytes, from: &position)
        }
        guard let authorLine = line, Self.starts(bytes, authorLine, with: "author "),
              let author = Self.signature(bytes, (authorLine.lowerBound + 7)..<authorLine.upperBound),
              let committerLine = Self.line(bytes, from: &position), Self.starts(bytes, committerLine, with: "committer "),
              let committer = Self.signature(bytes, (committerLine.lowerBound + 10)..<committerLine.upperBound)
        else { return nil }
        // Other headers (gpgsig and its continuation lines, mergetag, …) are passed over.
        var messageStart = bytes.count
        while position < bytes.count {
            if bytes[position] == 0x0A {
                messageStart = position + 1
                break
            }
            // A last header line without its newline: rare enough to leave to libgit2.
            guard let header = Self.line(bytes, from: &position) else { return nil }
            if Self.starts(bytes, header, with: "encoding ") { return nil }
        }
        let nul = memchr(base + messageStart, 0, bytes.count - messageStart)
        let messageEnd = nul.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
        parentCount = parents
        authorName = author.name
        authorEmail = author.email
        authorTime = author.time
        committerTime = committer.time
        message = messageStart..<messageEnd
    }

    /// The commit as a `Commit` value, `bytes` being the ones this was read from.
    func makeValue(sha: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Commit {
        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        return Commit(sha: sha, message: text(message), messageEncoding: nil,
                      authorName: text(authorName), authorEmail: text(authorEmail),
                      authorTime: authorTime, committerTime: committerTime, parentCount: parentCount)
    }

    /// The line at `position` without its newline, moving `position` past it; nil when no newline
    /// ends it.
    private static func line(_ bytes: UnsafeBufferPointer<UInt8>, from position: inout Int) -> Range<Int>? {
        guard position < bytes.count, let base = bytes.baseAddress,
              let newline = memchr(base + position, 0x0A, bytes.count - position) else { return nil }
        let end = UnsafeRawPointer(newline) - UnsafeRawPointer(base)
        defer { position = end + 1 }
        return position..<end
    }

    private static func starts(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, with prefix: StaticString) -> Bool {
        CommitHeader.line(bytes, line.lowerBound, line.upperBound, startsWith: prefix)
    }

    /// `prefix` and 40 hexadecimal digits, nothing more (libgit2 rejects anything else).
    private static func isObjectLine(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard line.count == count + 40, starts(bytes, line, with: prefix) else { return false }
        for index in (line.lowerBound + count)..<line.upperBound {
            let byte = bytes[index]
            guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46) else { return false }
        }
        return true
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// `Name <email> seconds zone`: the name and e-mail trimmed of white space, as libgit2 takes them.
    /// nil for a line libgit2 would read otherwise or reject: not exactly one `<` and one `>` after
    /// it, a NUL byte, a time that is not plain digits after one space.
    private static func signature(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> (name: Range<Int>, email: Range<Int>, time: Int64)? {
        var open = -1, close = -1
        for index in line {
            switch bytes[index] {
            // One of each bracket: libgit2 1.5 takes a name with brackets in it otherwise than
            // its source reads (a name `A <b>` before `<c>` came back as `A <b`).
            case 0x3C: if open >= 0 { return nil } else { open = index }
            case 0x3E: if close >= 0 { return nil } else { close = index }
            case 0: return nil
            default: break
            }
        }
        guard open >= 0, close > open else { return nil }
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper && isSpace(bytes[lower]) { lower += 1 }
            while upper > lower && isSpace(bytes[upper - 1]) { upper -= 1 }
            return lower..<upper
        }
        var time: Int64 = 0
        if close + 2 < line.upperBound {
            guard bytes[close + 1] == 0x20 else { return nil }
            var index = close + 2
            var digits = 0
            while index < line.upperBound, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                time = time * 10 + Int64(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            guard digits > 0, digits <= 18, index == line.upperBound || bytes[index] == 0x20 else { return nil }
        }
        return (trimmed(line.lowerBound..<open), trimmed((open + 1)..<close), time)
    }
}


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
