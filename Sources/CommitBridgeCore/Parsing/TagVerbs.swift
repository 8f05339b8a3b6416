// The tag grammar's verbs: the two verb families, the verb table with its exact and near-miss
// lookup, and the edit distance that finds the verb a misspelled word most likely meant.

/// The two families of Tracker state verbs.
enum VerbFamily: Sendable {
    /// fix, finish, complete and their forms.
    case finish
    /// deliver and its forms.
    case deliver
}

/// How a word relates to the Tracker verbs.
enum VerbMatch {
    /// The word is a verb of this family (case-insensitive).
    case exact(VerbFamily)
    /// The word is a near miss of a verb; `suggestion` is the verb it most likely meant.
    case near(suggestion: String)
}

/// The Tracker state verbs, in table order, with exact and near-miss lookup.
///
/// Table order matters: when two verbs are equally close to a misspelled word, the earlier
/// one is suggested.
enum VerbTable {
    /// The verbs, lowercase, in table order.
    static let spellings: [String] = [
        "fix", "fixes", "fixed", "fixing",
        "finish", "finishes", "finished", "finishing",
        "complete", "completes", "completed", "completing",
        "deliver", "delivers", "delivered", "delivering",
    ]

    private static let entries: [(bytes: [UInt8], family: VerbFamily, letters: UInt32)] = spellings.map { spelling in
        (Array(spelling.utf8), spelling.hasPrefix("deliver") ? .deliver : .finish, letterSet(spelling.utf8))
    }

    private static let shortestVerb = 3
    private static let longestVerb = 10

    /// One bit per lowercase ASCII letter present.
    private static func letterSet<Letters: Sequence<UInt8>>(_ letters: Letters) -> UInt32 {
        letters.reduce(0) { $0 | 1 << UInt32($1 &- 0x61) }
    }

    /// Whether `bytes[range]` is a verb, a near miss of one (with the suggested verb), or neither.
    static func match(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> VerbMatch? {
        if let family = family(of: bytes, in: range) { return .exact(family) }
        if let suggestion = suggestion(for: bytes, in: range) { return .near(suggestion: suggestion) }
        return nil
    }

    /// The family of the verb spelled by `bytes[range]`, compared case-insensitively, or nil.
    static func family(of bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> VerbFamily? {
        let count = range.count
        guard count >= shortestVerb, count <= longestVerb else { return nil }
        // Every verb starts with c, d or f: reject most words with one comparison.
        let first = ByteClass.lowercased(bytes[range.lowerBound])
        guard first == 0x63 || first == 0x64 || first == 0x66 else { return nil }
        for entry in entries where entry.bytes.count == count {
            var offset = 0
            while offset < count, ByteClass.lowercased(bytes[range.lowerBound + offset]) == entry.bytes[offset] {
                offset += 1
            }
            if offset == count { return entry.family }
        }
        return nil
    }

    /// The verb a misspelled word most likely meant, or nil.
    ///
    /// Only words made of ASCII letters qualify. The allowed optimal-string-alignment distance is
    /// at most 2 for words of five letters or more and at most 1 for shorter words. The closest
    /// verb wins; ties go to the earlier verb in the table. A word that already is a verb gets no
    /// suggestion.
    static func suggestion(for bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> String? {
        let count = range.count
        let allowed = count >= 5 ? 2 : 1
        guard count > 0, count <= longestVerb + allowed else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { word -> String? in
            for (offset, index) in range.enumerated() {
                let byte = bytes[index]
                guard ByteClass.isLetter(byte) else { return nil }
                word[offset] = ByteClass.lowercased(byte)
            }
            var best: (distance: Int, index: Int)? = nil
            for (index, entry) in entries.enumerated() where abs(entry.bytes.count - count) <= allowed {
                // Only a strictly closer verb can replace the best so far: ties keep table order.
                let bound = min(allowed, (best?.distance ?? allowed + 1) - 1)
                // Each letter the verb lacks needs its own deletion or substitution: a cheap lower bound.
                var lacking = 0
                for offset in 0..<count where entry.letters & (1 << UInt32(word[offset] &- 0x61)) == 0 {
                    lacking += 1
                }
                guard lacking <= bound else { continue }
                let distance = entry.bytes.withUnsafeBufferPointer { verb in
                    EditDistance.optimalStringAlignment(UnsafeBufferPointer(word), verb, limit: bound)
                }
                if distance <= bound { best = (distance, index) }
            }
            guard let best, best.distance > 0 else { return nil }
            return spellings[best.index]
        }
    }
}

/// A verb written in a token that also holds a `#`: `Fixes#9`, `Delivers:#4`, `#finishes`. Split
/// at its `#` signs, the token has a piece that is a verb once its trailing `:` and `.` are dropped.
/// Such a verb counts as that verb, and the parser says that it is glued.
struct GluedVerb {
    /// The piece as written, from just after a `#` (or the token's start) up to the next `#` (or the
    /// token's end), trailing `:` and `.` included.
    let piece: Range<Int>
    let family: VerbFamily

    /// The verbs among the `#`-separated pieces of `bytes[token]`, in token order.
    static func find(_ bytes: UnsafeBufferPointer<UInt8>, in token: Range<Int>) -> [GluedVerb] {
        var verbs: [GluedVerb] = []
        var start = token.lowerBound
        for index in token.lowerBound...token.upperBound where index == token.upperBound || bytes[index] == ByteClass.hash {
            var end = index
            while end > start, ByteClass.isWordTail(bytes[end - 1]) { end -= 1 }
            if let family = VerbTable.family(of: bytes, in: start..<end) {
                verbs.append(GluedVerb(piece: start..<index, family: family))
            }
            start = index + 1
        }
        return verbs
    }

    /// The token as it reads with every glued verb standing apart: each verb piece becomes a word of
    /// its own, the `#` signs right before a verb are dropped (`#finishes` reads `finishes`), and the
    /// text after a verb keeps the `#` that starts it (`Fixes#9` reads `Fixes #9`).
    static func unglued(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Range<Int>, verbs: [GluedVerb]) -> [UInt8] {
        var words: [Range<Int>] = []
        var cursor = token.lowerBound
        var afterVerb = false
        // The text from `cursor` to `end` (after a verb, from the `#` that follows it), as one word,
        // unless it is only `#` signs; before a verb, its trailing `#` signs are dropped.
        func keep(upTo end: Int, beforeVerb: Bool) {
            let start = afterVerb ? cursor - 1 : cursor
            var end = end
            while beforeVerb, end > start, bytes[end - 1] == ByteClass.hash { end -= 1 }
            guard start < end else { return }
            if bytes[start..<end].contains(where: { $0 != ByteClass.hash }) { words.append(start..<end) }
        }
        for verb in verbs {
            keep(upTo: verb.piece.lowerBound, beforeVerb: true)
            words.append(verb.piece)
            cursor = verb.piece.upperBound + 1
            afterVerb = true
        }
        keep(upTo: token.upperBound, beforeVerb: false)
        var text: [UInt8] = []
        for (index, word) in words.enumerated() {
            if index > 0 { text.append(ByteClass.space) }
            text.append(contentsOf: bytes[word])
        }
        return text
    }
}

/// Edit distances between short byte strings, used to suggest a verb for a misspelled word.
enum EditDistance {
    /// The optimal-string-alignment distance between `a` and `b`: the fewest insertions,
    /// deletions, substitutions and swaps of two adjacent bytes that turn `a` into `b`,
    /// where no substring is edited more than once.
    ///
    /// Once the distance is sure to exceed `limit`, the work stops and `limit + 1` is returned.
    static func optimalStringAlignment(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int = Int.max - 1
    ) -> Int {
        if a.isEmpty { return min(b.count, limit + 1) }
        if b.isEmpty { return min(a.count, limit + 1) }
        let columns = b.count + 1
        // Three rolling rows of the cost table: row i - 2, row i - 1 and row i.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * columns) { table in
            var older = 0, previous = columns, current = 2 * columns
            for j in 0..<columns { table[previous + j] = j }
            var previousRowMinimum = 0
            for i in 1...a.count {
                table[current] = i
                var rowMinimum = i
                for j in 1..<columns {
                    let substitution = a[i - 1] == b[j - 1] ? 0 : 1
                    var best = min(
                        table[previous + j] + 1,
                        table[current + j - 1] + 1,
                        table[previous + j - 1] + substitution)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        best = min(best, table[older + j - 2] + 1)
                    }
                    table[current + j] = best
                    rowMinimum = min(rowMinimum, best)
                }
                // Every alignment crosses row i or row i - 1 (a swap skips at most one row),
                // and costs never decrease along it.
                if rowMinimum > limit, previousRowMinimum > limit { return limit + 1 }
                previousRowMinimum = rowMinimum
                (older, previous, current) = (previous, current, older)
            }
            return min(table[previous + b.count], limit + 1)
        }
    }

    /// The same distance for byte arrays.
    static func optimalStringAlignment(_ a: [UInt8], _ b: [UInt8], limit: Int = Int.max - 1) -> Int {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in optimalStringAlignment(a, b, limit: limit) }
        }
    }
}
