/// Edit distances between short byte strings, used to suggest a verb for a misspelled word.
enum EditDistance {
    /// The optimal-string-alignment distance between `a` and `b`: the fewest insertions,
    /// deletions, substitutions and swaps of two adjacent bytes that turn `a` into `b`,
    /// where no substring is edited more than once.
    static func optimalStringAlignment(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let rows = a.count + 1
        let columns = b.count + 1
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // cost[i * columns + j] is the distance between the first i bytes of a and the first j of b.
        var cost = [Int](repeating: 0, count: rows * columns)
        for i in 0..<rows { cost[i * columns] = i }
        for j in 0..<columns { cost[j] = j }
        for i in 1..<rows {
            for j in 1..<columns {
                let substitution = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(
                    cost[(i - 1) * columns + j] + 1,
                    cost[i * columns + j - 1] + 1,
                    cost[(i - 1) * columns + j - 1] + substitution
                )
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, cost[(i - 2) * columns + j - 2] + 1)
                }
                cost[i * columns + j] = best
            }
        }
        return cost[rows * columns - 1]
    }
}
