/// The commits a list of `git rev-list` arguments selects, parsed once into values: revisions to
/// include (with their ancestors) and revisions whose ancestors are left out. Nothing is resolved
/// here; the git layer resolves the revisions against a repository.
public struct RevisionRange: Sendable, Hashable, CustomStringConvertible {
    /// One argument.
    public enum Argument: Sendable, Hashable {
        /// `A`: A and all its ancestors.
        case include(String)
        /// `^A`: nothing reachable from A.
        case exclude(String)
        /// `A..B`: reachable from B but not from A.
        case range(exclude: String, include: String)
        /// `A...B`: reachable from either, but not from any of their merge bases.
        case symmetricDifference(String, String)

        /// Where an empty side of `..` or `...` points, as in git.
        public static let defaultSide = "HEAD"

        /// Splits one argument the way `git rev-list` does. The first `..` in the text decides
        /// whether it is a range; `...` makes it symmetric. Options (`--all`, ...) are refused.
        public init(parsing text: String) throws {
            if text.hasPrefix("-") {
                throw RevisionRangeError(message: "unsupported rev-list option '\(TerminalSafeText.cut(text, limit: 100))'")
            }
            if let dots = Self.firstDoubleDot(in: text) {
                let left = String(text[..<dots])
                var right = text[text.index(dots, offsetBy: 2)...]
                let symmetric = right.first == "."
                if symmetric { right = right.dropFirst() }
                let leftSide = left.isEmpty ? Self.defaultSide : left
                let rightSide = right.isEmpty ? Self.defaultSide : String(right)
                self = symmetric ? .symmetricDifference(leftSide, rightSide) : .range(exclude: leftSide, include: rightSide)
            } else if text.hasPrefix("^") {
                self = .exclude(String(text.dropFirst()))
            } else {
                self = .include(text)
            }
        }

        /// Where the first `..` of `text` starts.
        private static func firstDoubleDot(in text: String) -> String.Index? {
            let bytes = text.utf8
            var index = bytes.startIndex
            while index < bytes.endIndex {
                let next = bytes.index(after: index)
                if next < bytes.endIndex, bytes[index] == UInt8(ascii: "."), bytes[next] == UInt8(ascii: ".") { return index }
                index = next
            }
            return nil
        }

        /// The argument as `git rev-list` takes it (an empty side shows as `HEAD`).
        public var text: String {
            switch self {
            case .include(let revision): return revision
            case .exclude(let revision): return "^" + revision
            case .range(let exclude, let include): return exclude + ".." + include
            case .symmetricDifference(let left, let right): return left + "..." + right
            }
        }
    }

    /// The arguments, in the order given.
    public var arguments: [Argument]

    /// A range of the given arguments (none: an empty range, which the git layer refuses to walk).
    public init(_ arguments: [Argument] = []) {
        self.arguments = arguments
    }

    /// Parses `git rev-list` arguments: `A`, `^A`, `A..B`, `A...B`, an empty side meaning HEAD.
    /// Throws `RevisionRangeError` for an option (an argument starting with `-`).
    public init(parsing texts: [String]) throws {
        self.init(try texts.map { try Argument(parsing: $0) })
    }

    /// The commits reachable from any of `included` and from none of `excluded`.
    public static func commits(reachableFrom included: [String], excluding excluded: [String] = []) -> RevisionRange {
        RevisionRange(included.map(Argument.include) + excluded.map(Argument.exclude))
    }

    /// The revisions whose ancestors are selected: every included one, both ends of a `...`.
    public var including: [String] {
        arguments.flatMap { argument -> [String] in
            switch argument {
            case .include(let revision), .range(_, let revision): return [revision]
            case .exclude: return []
            case .symmetricDifference(let left, let right): return [left, right]
            }
        }
    }

    /// The revisions whose ancestors are left out, as named (a `...` leaves out its merge bases,
    /// which only the repository knows, so it adds nothing here).
    public var excluding: [String] {
        arguments.compactMap { argument -> String? in
            switch argument {
            case .exclude(let revision), .range(let revision, _): return revision
            case .include, .symmetricDifference: return nil
            }
        }
    }

    /// Each argument as `git rev-list` takes it.
    public var texts: [String] { arguments.map(\.text) }

    /// The arguments separated by spaces, for messages.
    public var description: String { texts.joined(separator: " ") }
}

/// A `git rev-list` argument that `RevisionRange` does not take.
public struct RevisionRangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line for people, e.g. `unsupported rev-list option '--all'`.
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
