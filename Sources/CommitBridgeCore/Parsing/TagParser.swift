// The parser's face: `TagParser` and what it returns for a message (the result, its tag groups,
// its story references and their actions). The grammar itself lives in the other Parsing files.

/// Finds Pivotal Tracker story tags in commit messages.
///
/// The parser is pure and stateless: it reads the message's UTF-8 bytes once, never prints,
/// and its warnings never change which references it returns.
public struct TagParser: Sendable {
    /// False when `bytes` (a message in UTF-8 or any ASCII-compatible encoding) hold neither `#` nor
    /// `[`: every reference and every warning of the parser needs one of the two, so such a message
    /// parses to nothing. A fast pre-check for scans of long histories.
    public static func mayFindTags<Bytes: Sequence>(in bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        bytes.contains { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "[") }
    }

    public init() {}

    /// Parses one commit message: its story references (each story once, in order of first
    /// appearance, with its strongest action), its warnings in message order, and its tag groups.
    public func parse(_ message: String) -> ParseResult {
        var message = message
        return message.withUTF8 { MessageScanner.scan($0) }
    }
}

/// What the parser found in one commit message.
public struct ParseResult: Sendable, Hashable {
    /// Each referenced story once, in order of first appearance, with its strongest action.
    public let references: [StoryReference]
    /// Human-readable warnings about near-miss tags. They never change what is posted.
    public let warnings: [String]
    /// The tag groups, in message order.
    public let groups: [TagGroup]

    public init(references: [StoryReference], warnings: [String], groups: [TagGroup]) {
        self.references = references
        self.warnings = warnings
        self.groups = groups
    }

    /// True when the message references no story and so is not posted.
    public var isEmpty: Bool { references.isEmpty }
}

/// A `[` … `]` span of a commit message that holds at least one story reference.
public struct TagGroup: Sendable, Hashable {
    /// Byte offsets into the message's UTF-8 view, from the `[` up to and including the `]`.
    public let utf8Range: Range<Int>
    /// Story ids in the group, in order of appearance (duplicates kept).
    public let stories: [Int64]
    /// The group's action: deliver if it holds a deliver verb, else finish if a finish verb, else mention.
    public let action: StoryAction

    public init(utf8Range: Range<Int>, stories: [Int64], action: StoryAction) {
        self.utf8Range = utf8Range
        self.stories = stories
        self.action = action
    }
}

/// One story named by a commit message, with the strongest action the message asks for it.
public struct StoryReference: Sendable, Hashable {
    /// The Tracker story id (always > 0).
    public let story: Int64
    /// The strongest action any tag group naming this story asks for.
    public let action: StoryAction

    public init(story: Int64, action: StoryAction) {
        self.story = story
        self.action = action
    }
}

/// What a tag group asks Tracker to do with the stories it names.
///
/// The cases are ordered by strength: a story named several times keeps its strongest action.
public enum StoryAction: String, Sendable, Hashable, Comparable, CaseIterable {
    /// A plain reference: the story gets a comment and, if not yet started, starts.
    case mention
    /// A finish-family verb (fix, finish, complete and their forms).
    case finish
    /// A deliver-family verb (deliver and its forms).
    case deliver

    private var strength: Int {
        switch self {
        case .mention: return 0
        case .finish: return 1
        case .deliver: return 2
        }
    }

    public static func < (lhs: StoryAction, rhs: StoryAction) -> Bool {
        lhs.strength < rhs.strength
    }
}
