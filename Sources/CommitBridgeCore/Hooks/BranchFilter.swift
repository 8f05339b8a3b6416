/// Branch glob patterns (`main`, `release/*`) from `--branch` or `commitbridge.branches`;
/// no pattern means every branch. `*` matches any run of characters (slashes included), `?` one.
public struct BranchFilter: Sendable, Hashable {
    public let patterns: [String]

    public init(_ patterns: [String]) {
        self.patterns = patterns.filter { !$0.isEmpty }
    }

    /// Whether `branch` (without `refs/heads/`) is selected.
    public func matches(_ branch: String) -> Bool {
        patterns.isEmpty || patterns.contains { BranchFilter.glob(Array($0.unicodeScalars)[...], Array(branch.unicodeScalars)[...]) }
    }

    private static func glob(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = pattern.startIndex, t = text.startIndex
        var starP: Int?, starT = 0
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.endIndex, pattern[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if let star = starP {
                p = star + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }
}
