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
        /// `A^@`: A's parents (with their ancestors), not A itself; `negated` for `^A^@`, which
        /// leaves out what the parents reach.
        case parents(of: String, negated: Bool = false)
        /// `A^!`: A alone, its parents left out (`^A^!`: the other way round).
        case alone(String, negated: Bool = false)
        /// `A^-n` (`A^-` is `A^-1`): `A^n..A`, what A brought beyond its n-th parent.
        case beyondParent(String, parent: Int, negated: Bool = false)
        /// `--all`, `--branches[=glob]`, `--tags[=glob]`, `--remotes[=glob]`: every ref of a kind.
        case references(ReferenceSet)
        /// `--not`: the arguments after it, up to the next `--not`, count the other way round.
        case not

        /// Where an empty side of `..` or `...` points, as in git.
        public static let defaultSide = "HEAD"

        /// Splits one argument the way `git rev-list` does. The first `..` in the text decides
        /// whether it is a range; `...` makes it symmetric. Of the options, `--not`, `--all`,
        /// `--branches`, `--tags` and `--remotes` are taken; any other is refused.
        public init(parsing text: String) throws {
            if text.hasPrefix("-") {
                self = try Self.option(text)
                return
            }
            if let dots = Self.firstDoubleDot(in: text) {
                let left = String(text[..<dots])
                var right = text[text.index(dots, offsetBy: 2)...]
                let symmetric = right.first == "."
                if symmetric { right = right.dropFirst() }
                let leftSide = left.isEmpty ? Self.defaultSide : left
                let rightSide = right.isEmpty ? Self.defaultSide : String(right)
                self = symmetric ? .symmetricDifference(leftSide, rightSide) : .range(exclude: leftSide, include: rightSide)
                return
            }
            // `^@` and `^!` end the argument; `^-` may be followed by a parent number. A leading `^`
            // turns any of them round.
            let negated = text.hasPrefix("^")
            let body = negated ? String(text.dropFirst()) : text
            if body.hasSuffix("^@"), body.count > 2 {
                self = .parents(of: String(body.dropLast(2)), negated: negated)
            } else if body.hasSuffix("^!"), body.count > 2 {
                self = .alone(String(body.dropLast(2)), negated: negated)
            } else if let mark = Self.first("^-", in: body), mark > body.startIndex {
                let digits = body[body.index(mark, offsetBy: 2)...]
                var parent = 1
                if !digits.isEmpty {
                    guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits), number >= 1 else {
                        throw RevisionRangeError(message: "bad revision '\(TerminalSafeText.cut(text, limit: 100))': "
                            + "'^-' takes a parent number, 1 or more")
                    }
                    parent = number
                }
                self = .beyondParent(String(body[..<mark]), parent: parent, negated: negated)
            } else if negated {
                self = .exclude(body)
            } else {
                self = .include(text)
            }
        }

        /// `--not`, `--all`, `--branches[=glob]`, `--tags[=glob]`, `--remotes[=glob]`.
        private static func option(_ text: String) throws -> Argument {
            if text == "--not" { return .not }
            if text == "--all" { return .references(try ReferenceSet(kind: .all)) }
            let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let glob = text.contains("=") ? String(text[text.index(after: text.firstIndex(of: "=")!)...]) : nil
            let kinds: [Substring: ReferenceSet.Kind] = ["--branches": .branches, "--tags": .tags, "--remotes": .remotes]
            guard let kind = kinds[name] else {
                throw RevisionRangeError(message: "unsupported rev-list option '\(TerminalSafeText.cut(text, limit: 100))'")
            }
            do {
                return .references(try ReferenceSet(kind: kind, glob: glob))
            } catch {
                throw RevisionRangeError(message: "invalid glob in '\(TerminalSafeText.cut(text, limit: 100))': \(error.reason)")
            }
        }

        /// Where the first occurrence of the two characters `pair` in `text` starts.
        private static func first(_ pair: String, in text: String) -> String.Index? {
            let wanted = Array(pair)
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(after: index)
                if text[index] == wanted[0], next < text.endIndex, text[next] == wanted[1] { return index }
                index = next
            }
            return nil
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
            case .parents(let revision, let negated): return (negated ? "^" : "") + revision + "^@"
            case .alone(let revision, let negated): return (negated ? "^" : "") + revision + "^!"
            case .beyondParent(let revision, let parent, let negated):
                return (negated ? "^" : "") + revision + "^-" + (parent == 1 ? "" : String(parent))
            case .references(let set): return set.text
            case .not: return "--not"
            }
        }
    }

    /// The arguments, in the order given.
    public var arguments: [Argument]

    /// A range of the given arguments (none: an empty range, which the git layer refuses to walk).
    public init(_ arguments: [Argument] = []) {
        self.arguments = arguments
    }

    /// Parses `git rev-list` arguments: `A`, `^A`, `A..B`, `A...B` (an empty side meaning HEAD),
    /// `A^@`, `A^!`, `A^-n`, `--not`, `--all`, `--branches[=glob]`, `--tags[=glob]`,
    /// `--remotes[=glob]`. Throws `RevisionRangeError` for any other option.
    public init(parsing texts: [String]) throws {
        self.init(try texts.map { try Argument(parsing: $0) })
    }

    /// The commits reachable from any of `included` and from none of `excluded`.
    public static func commits(reachableFrom included: [String], excluding excluded: [String] = []) -> RevisionRange {
        RevisionRange(included.map(Argument.include) + excluded.map(Argument.exclude))
    }

    /// The revisions whose ancestors are selected, as named: every included one, both ends of a
    /// `...`, A of `A^-n`, each counted the other way round after a `--not`. Parents (`A^@`,
    /// `A^!`) and refs (`--all`, ...) are only known to the repository, so they add nothing here.
    public var including: [String] { named.including }

    /// The revisions whose ancestors are left out, as named (a `...` leaves out its merge bases,
    /// which only the repository knows, so it adds nothing here; nor do parents and refs).
    public var excluding: [String] { named.excluding }

    private var named: (including: [String], excluding: [String]) {
        var including: [String] = [], excluding: [String] = []
        var flipped = false
        func add(_ revision: String, selected: Bool) {
            if selected != flipped { including.append(revision) } else { excluding.append(revision) }
        }
        for argument in arguments {
            switch argument {
            case .include(let revision): add(revision, selected: true)
            case .exclude(let revision): add(revision, selected: false)
            case .range(let exclude, let include):
                add(exclude, selected: false)
                add(include, selected: true)
            case .symmetricDifference(let left, let right):
                add(left, selected: true)
                add(right, selected: true)
            case .alone(let revision, let negated): add(revision, selected: !negated)
            case .beyondParent(let revision, let parent, let negated):
                add(revision + "^" + String(parent), selected: negated)
                add(revision, selected: !negated)
            case .parents, .references: break
            case .not: flipped.toggle()
            }
        }
        return (including, excluding)
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

/// The refs of one kind that `--all`, `--branches`, `--tags` or `--remotes` name, as git picks
/// them: `--all` every ref and HEAD; the others the refs under `refs/heads/`, `refs/tags/` or
/// `refs/remotes/`, and with `=glob` only those whose full name matches `refs/<kind>/<glob>`
/// (matched whole-name, so `*` crosses `/`; a glob without `*`, `?` or `[` gets `/*` added, as in git).
public struct ReferenceSet: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case all, branches, tags, remotes

        /// Where the refs of the kind live (`refs/` for all).
        public var prefix: String {
            switch self {
            case .all: return "refs/"
            case .branches: return "refs/heads/"
            case .tags: return "refs/tags/"
            case .remotes: return "refs/remotes/"
            }
        }
    }

    public let kind: Kind
    /// The glob after `=`, as given; nil when none was.
    public let glob: String?
    private let pattern: RefPattern?

    public init(kind: Kind, glob: String? = nil) throws(RefPatternError) {
        self.kind = kind
        self.glob = glob
        if let glob, kind != .all {
            var full = kind.prefix + glob
            if !RefPattern.hasGlobCharacters(glob) {
                if !full.hasSuffix("/") { full += "/" }
                full += "*"
            }
            pattern = try RefPattern(validating: full)
        } else {
            pattern = nil
        }
    }

    /// Whether the ref of full name `name` (`refs/heads/main`) is among them.
    public func contains(_ name: String) -> Bool {
        guard name.hasPrefix(kind.prefix) else { return false }
        return pattern?.matches(name, pathname: false) ?? true
    }

    /// Whether HEAD is among them (only for `--all`).
    public var includesHead: Bool { kind == .all }

    /// The option as given, e.g. `--branches=release/*`.
    public var text: String { "--\(kind.rawValue)" + (glob.map { "=" + $0 } ?? "") }
}
