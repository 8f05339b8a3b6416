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
