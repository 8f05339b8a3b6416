/// One `git rev-list` argument, split into the revisions it names (not yet resolved).
enum RevisionArgument: Equatable {
    /// `A`: A and all its ancestors.
    case include(String)
    /// `^A`: nothing reachable from A.
    case exclude(String)
    /// `A..B`: reachable from B but not from A.
    case range(exclude: String, include: String)
    /// `A...B`: reachable from either, but not from any of their merge bases.
    case symmetricDifference(String, String)

    /// Where an empty side of `..` or `...` points, as in git.
    static let defaultSide = "HEAD"

    /// Splits one argument the way `git rev-list` does. The first `..` in the text decides
    /// whether it is a range; `...` makes it symmetric. Options (`--all`, ...) are not supported.
    static func parse(_ text: String) throws -> RevisionArgument {
        if text.hasPrefix("-") {
            throw GitError(kind: .invalidRange, code: -1, libgit2Message: "",
                           summary: "unsupported rev-list option '\(GitError.shown(text))'")
        }
        if let dots = text.range(of: "..") {
            let left = String(text[..<dots.lowerBound])
            var right = text[dots.upperBound...]
            let symmetric = right.first == "."
            if symmetric { right = right.dropFirst() }
            let leftSide = left.isEmpty ? defaultSide : left
            let rightSide = right.isEmpty ? defaultSide : String(right)
            return symmetric
                ? .symmetricDifference(leftSide, rightSide)
                : .range(exclude: leftSide, include: rightSide)
        }
        if text.hasPrefix("^") {
            return .exclude(String(text.dropFirst()))
        }
        return .include(text)
    }
}
