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
