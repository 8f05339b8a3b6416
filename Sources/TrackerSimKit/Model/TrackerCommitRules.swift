/// The simulator's own reading of what Tracker does with a posted commit message.
///
/// Written from Tracker's published description of its source-commit syntax and from the project's
/// behaviour contract, and deliberately not from the client's parser: the simulator plays the
/// server, so a mistake in the client must show up as a disagreement, not be repeated here.
///
/// What Tracker reads, as the simulator plays it:
/// - Square brackets on one line. A bracket pair is the last `[` before a `]` and that `]`; a line
///   break between them means there is no pair.
/// - Inside a pair, words are separated by ASCII white space and commas.
/// - A story is `#` and 1 to 19 ASCII digits at the end of a word, worth at least 1 and no more
///   than the largest signed 64-bit number (`#555`, `(#555`, `##555`, `Fixes#555`). Digits followed by
///   anything but a separator or the closing bracket (`#5a`, `#5.`, `#5#`) name no story.
/// - A pair that names no story means nothing, whatever words it holds.
/// - State words, in any letter case, anywhere in the pair: fix, finish and complete (and their
///   -es/-s, -ed and -ing forms) finish; deliver (deliver, delivers, delivered, delivering)
///   delivers. A word may end with `:` and `.` (`Finishes:`), and may touch a `#` on either side
///   (`Fixes#9`, `#finishes`). Any other word is ignored.
/// - A pair with a deliver word delivers all its stories, else a pair with a finish word finishes
///   them, else it only mentions them. A story named by several pairs gets the strongest
///   (deliver, then finish, then mention); stories come in the order they are first named.
public enum TrackerCommitRules {
    /// What a message asks of one story.
    public enum Request: Int, Sendable, Comparable, CaseIterable {
        case mention = 0, finish = 1, deliver = 2

        public static func < (lhs: Request, rhs: Request) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One story a message names, and the strongest thing it asks of it.
    public struct StoryRequest: Sendable, Hashable {
        public let storyID: Int64
        public let request: Request

        public init(storyID: Int64, request: Request) {
            self.storyID = storyID
            self.request = request
        }
    }

    /// The stories `message` names, each once, in the order they are first named.
    public static func storyRequests(in message: String) -> [StoryRequest] {
        var order: [Int64] = []
        var strongest: [Int64: Request] = [:]
        for pair in bracketPairs(in: Array(message.utf8)) {
            var stories: [Int64] = []
            var request = Request.mention
            for word in pair.split(whereSeparator: isSeparator) {
                if let story = storyAtEnd(of: word) { stories.append(story) }
                if let asked = stateWord(in: word), asked > request { request = asked }
            }
            for story in stories {
                if let known = strongest[story] {
                    if request > known { strongest[story] = request }
                } else {
                    order.append(story)
                    strongest[story] = request
                }
            }
        }
        return order.map { StoryRequest(storyID: $0, request: strongest[$0]!) }
    }

    /// The state a story moves to when a commit asks `request` of it, or nil when it stays.
    ///
    /// Stories only move forward. A mention starts a story that has not started. Finishing puts a
    /// feature or bug in `finished`, delivering puts it in `delivered`, and either accepts a chore.
    /// A rejected story can be finished or delivered again. Releases never move.
    public static func stateAfter(_ request: Request, type: TrackerStoryType,
                                  from current: TrackerStoryState) -> TrackerStoryState? {
        guard type != .release else { return nil }
        let goal: TrackerStoryState
        switch request {
        case .mention: goal = .started
        case .finish: goal = type == .chore ? .accepted : .finished
        case .deliver: goal = type == .chore ? .accepted : .delivered
        }
        if current == goal { return nil }
        if current == .rejected { return request == .mention ? nil : goal }
        return step(goal) > step(current) ? goal : nil
    }

    // MARK: Reading

    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")
    private static let hash = UInt8(ascii: "#")

    /// The insides of the message's bracket pairs, in message order.
    private static func bracketPairs(in bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var pairs: [ArraySlice<UInt8>] = []
        var open: Int?
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case openBracket: open = index
            case UInt8(ascii: "\n"): open = nil
            case closeBracket:
                if let start = open { pairs.append(bytes[(start + 1)..<index]) }
                open = nil
            default: break
            }
        }
        return pairs
    }

    /// Space, tab, carriage return, vertical tab, form feed and comma.
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// The story a word ends with (`#` then 1–19 digits to the end of the word), if any.
    private static func storyAtEnd(of word: ArraySlice<UInt8>) -> Int64? {
        guard let lastHash = word.lastIndex(of: hash) else { return nil }
        let digits = word[(lastHash + 1)...]
        guard (1...19).contains(digits.count),
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let value = Int64(String(decoding: digits, as: UTF8.self)), value > 0
        else { return nil }
        return value
    }

    /// The state word a word holds once split at its `#` signs, if one of its pieces is one.
    private static func stateWord(in word: ArraySlice<UInt8>) -> Request? {
        var found: Request?
        for piece in word.split(separator: hash) {
            var text = piece
            while let last = text.last, last == UInt8(ascii: ":") || last == UInt8(ascii: ".") {
                text = text.dropLast()
            }
            let lowered = String(decoding: text.map(asciiLowercase), as: UTF8.self)
            if let request = stateWords[lowered] { found = max(found ?? request, request) }
        }
        return found
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static let stateWords: [String: Request] = {
        var words: [String: Request] = [:]
        for word in ["fix", "fixes", "fixed", "fixing", "finish", "finishes", "finished", "finishing",
                     "complete", "completes", "completed", "completing"] {
            words[word] = .finish
        }
        for word in ["deliver", "delivers", "delivered", "delivering"] {
            words[word] = .deliver
        }
        return words
    }()

    /// Where a state stands on the way from not started to accepted (rejected is handled apart).
    private static func step(_ state: TrackerStoryState) -> Int {
        switch state {
        case .unscheduled, .unstarted, .planned: return 0
        case .started: return 1
        case .finished: return 2
        case .delivered, .rejected: return 3
        case .accepted: return 4
        }
    }
}

/// A story's `story_type`, as Tracker names it.
public enum TrackerStoryType: String, Sendable, Hashable, CaseIterable, Codable {
    case feature, bug, chore, release
}

/// A story's `current_state`, as Tracker names it.
public enum TrackerStoryState: String, Sendable, Hashable, CaseIterable, Codable {
    case unscheduled, unstarted, planned, started, finished, delivered, rejected, accepted
}
