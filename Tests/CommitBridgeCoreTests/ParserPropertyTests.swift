import CommitBridgeCore
import XCTest

/// Property tests for the tag parser and the message shortener: thousands of messages from a
/// seeded generator (the same messages on every run), checked against what the tag syntax and the payload rules promise.
/// fuzz/ runs the same kind of checks under libFuzzer for as long as one likes.
final class ParserPropertyTests: XCTestCase {
    private let parser = TagParser()

    // MARK: Properties

    /// Any text, even random bytes with invalid UTF-8 and NUL, parses (no trap), and the same text
    /// parses the same way every time, also from a fresh copy of its bytes.
    func testParsingIsTotalAndDeterministic() {
        var random = SplitMix64(seed: 0x5EED_0001)
        for round in 0..<3_000 {
            let message = round % 3 == 0
                ? String(decoding: random.bytes(count: random.below(300)), as: UTF8.self)
                : random.fragmentMessage()
            let first = parser.parse(message)
            let second = parser.parse(message)
            let copy = parser.parse(String(decoding: Array(message.utf8), as: UTF8.self))
            guard first == second, first == copy else {
                return XCTFail("round \(round): \(message.debugDescription) parses differently: \(first) / \(second) / \(copy)")
            }
        }
    }

    /// A reported story is written in the message as `#`, its digits (leading zeros
    /// allowed, 19 digits at most) and then a separator or `]`, inside one of the message's tag groups.
    func testEveryReportedStoryIsWrittenAfterAHash() {
        var random = SplitMix64(seed: 0x5EED_0002)
        var referencesSeen = 0
        for round in 0..<3_000 {
            let message = random.fragmentMessage()
            let bytes = Array(message.utf8)
            let result = parser.parse(message)
            for reference in result.references {
                referencesSeen += 1
                let written = result.groups.contains { group in
                    group.stories.contains(reference.story)
                        && Self.isWritten(reference.story, in: bytes[group.utf8Range])
                }
                guard written else {
                    return XCTFail("round \(round): story \(reference.story) of \(message.debugDescription) is not written as #\(reference.story) in a group")
                }
            }
        }
        XCTAssertGreaterThan(referencesSeen, 1_000, "the generator should produce references")
    }

    /// The tag rules on messages whose tag groups are planted by the generator, so the answer is
    /// known: a group with a deliver verb delivers all its stories, else a group with a finish verb
    /// finishes them, else mentions them; each story is reported once, in order of first appearance,
    /// with its strongest action. A verb glued to `#` or to the reference counts as that verb;
    /// misspelled verbs, other words, text outside brackets and spans that are not references change nothing.
    func testPlantedGroupsGiveTheActionsOfSpecSectionOne() {
        var random = SplitMix64(seed: 0x5EED_0003)
        var deliverGroups = 0
        for round in 0..<2_000 {
            let planted = random.plantedMessage()
            let result = parser.parse(planted.text)
            let groups = result.groups.map { PlantedGroup(stories: $0.stories, action: $0.action) }
            guard groups == planted.groups else {
                return XCTFail("round \(round): groups of \(planted.text.debugDescription) are \(groups), expected \(planted.groups)")
            }
            for group in planted.groups where group.action == .deliver {
                deliverGroups += 1
                for story in group.stories {
                    guard result.references.first(where: { $0.story == story })?.action == .deliver else {
                        return XCTFail("round \(round): story \(story) of a deliver group is not delivered in \(planted.text.debugDescription)")
                    }
                }
            }
            guard result.references == planted.references else {
                return XCTFail("round \(round): references of \(planted.text.debugDescription) are \(result.references), expected \(planted.references)")
            }
        }
        XCTAssertGreaterThan(deliverGroups, 200, "the generator should plant deliver groups")
    }

    /// A message over the limit is shortened without losing a tag group. The shortened
    /// text parses to the same references and holds each distinct group once, says it was shortened,
    /// starts with the message's own beginning, and fits the limit; when the note and the distinct
    /// groups alone are longer, it holds the note and the first groups that fit, and says so.
    func testShorteningALongMessageKeepsEveryTagGroup() {
        var random = SplitMix64(seed: 0x5EED_0004)
        var shortenedCount = 0
        for round in 0..<2_000 {
            let message = random.plantedMessage(fillerScale: 12).text
            let length = message.unicodeScalars.count
            let limit = 40 + random.below(560)
            let parsed = parser.parse(message)
            let result = MessageShortener(limit: limit).shorten(message, groups: parsed.groups)
            guard length > limit else {
                guard !result.wasShortened, result.text == message else {
                    return XCTFail("round \(round): a message within the limit changed: \(message.debugDescription)")
                }
                continue
            }
            shortenedCount += 1
            let reparsed = parser.parse(result.text)
            let before = Array(message.utf8)
            let after = Array(result.text.utf8)
            let kept = reparsed.groups.map { Array(after[$0.utf8Range]) }
            // Each distinct group once, in order of first appearance.
            var seen = Set<[UInt8]>()
            let distinct = parsed.groups.map { Array(before[$0.utf8Range]) }.filter { seen.insert($0).inserted }
            let marker = Array("\n\n(commitbridge: message shortened from \(length) characters".utf8)
            let noteAt = (0...max(0, after.count - marker.count)).first { after[$0...].starts(with: marker) }
            // Groups are left out only when even the note and the groups alone are too long.
            let leftOut = result.text.contains("did not fit were left out")
            // Only a limit shorter than the note itself is exceeded, by the note alone.
            let fits = result.text.unicodeScalars.count <= limit || (noteAt == 0 && kept.isEmpty)
            guard result.wasShortened, fits, let noteAt, before.starts(with: after[0..<noteAt]),
                  leftOut ? noteAt == 0 && kept.count < distinct.count && Array(distinct.prefix(kept.count)) == kept
                          : kept == distinct && reparsed.references == parsed.references
            else {
                return XCTFail("round \(round), limit \(limit): \(message.debugDescription) became \(result.text.debugDescription)")
            }
        }
        XCTAssertGreaterThan(shortenedCount, 1_000, "most generated messages should be over the limit")
    }

    // MARK: Helpers

    /// `#`, any zeros, the story's decimal digits (19 digits at most), then a separator, `]` or the end.
    private static func isWritten(_ story: Int64, in group: ArraySlice<UInt8>) -> Bool {
        let digits = Array(String(story).utf8)
        for hash in group.indices where group[hash] == UInt8(ascii: "#") {
            var start = hash + 1
            while start < group.endIndex, group[start] == UInt8(ascii: "0") { start += 1 }
            let end = start + digits.count
            guard end < group.endIndex, end - hash - 1 <= 19, group[start..<end].elementsEqual(digits) else { continue }
            let next = group[end]
            if next == UInt8(ascii: "]") || next == UInt8(ascii: ",") || next == UInt8(ascii: " ") || (0x09...0x0D).contains(next) {
                return true
            }
        }
        return false
    }
}

// MARK: - Generator

/// What a planted group must parse to.
private struct PlantedGroup: Equatable, CustomStringConvertible {
    let stories: [Int64]
    let action: StoryAction
    var description: String { "\(action)\(stories)" }
}

/// SplitMix64: a tiny seeded generator, so every run tests the same messages.
private struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { below(denominator) < numerator }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in
            // Mostly the bytes the parser cares about, the rest anything (invalid UTF-8 included).
            chance(1, in: 2) ? pick(Array("[]# ,:.\n0123456789fixdeliver".utf8)) : UInt8(truncatingIfNeeded: next())
        }
    }

    /// The state verbs.
    static let finishVerbs = ["fix", "fixes", "fixed", "fixing", "finish", "finishes", "finished", "finishing",
                              "complete", "completes", "completed", "completing"]
    static let deliverVerbs = ["deliver", "delivers", "delivered", "delivering"]

    mutating func randomCase(_ word: String) -> String {
        String(word.map { chance(1, in: 2) ? Character($0.uppercased()) : $0 })
    }

    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(below(10))) })
    }

    /// A story id: often small (so stories repeat), sometimes anything up to Int64.max.
    mutating func storyID() -> Int64 {
        switch below(4) {
        case 0, 1: return Int64(1 + below(12))
        case 2: return Int64(1 + below(100_000))
        default: return Int64(1 + next() % UInt64(Int64.max))
        }
    }

    /// Unicode that is not ASCII: accents, CJK, emoji, combining marks, line separators, NBSP.
    mutating func unicode() -> String {
        pick(["é", "naïve", "日本語", "🎉", "👩‍👩‍👧", "e\u{301}", "\u{2028}", "\u{2029}", "\u{85}", "\u{A0}",
              "\u{FEFF}", "\u{FFFD}", "\u{17F}", "\u{212A}", "\u{10FFFF}",
              String(Character(Unicode.Scalar(UInt32(0x80 + below(0x700)))!))])
    }

    /// One piece of free text from the grammar (tag syntax and its near misses).
    mutating func fragment() -> String {
        switch below(24) {
        case 0, 1: return "["
        case 2, 3: return "]"
        case 4: return "#"
        case 5, 6: return "#" + digits(1 + below(4))
        case 7: return "#" + digits(19 + below(6))  // 19–24 digits: over the limit or at it
        case 8: return pick(["#0", "#000", "#00012", "#9223372036854775807", "#9223372036854775808"])
        case 9, 10: return randomCase(pick(Self.finishVerbs + Self.deliverVerbs)) + pick(["", "", ":", ".", ".:"])
        case 11: return pick(["finsihes", "delivred", "fxi", "Fixs", "prefixes", "fix-es", "WIP", "foo", "(", ")"])
        case 12: return digits(1 + below(3))
        case 13, 14: return pick([",", ", ", ":", "."])
        case 15, 16, 17: return pick([" ", " ", "  ", "\t", "\r", "\u{0B}", "\u{0C}"])
        case 18: return pick(["\n", "\r\n", "\n\n"])
        case 19: return unicode()
        case 20: return "\u{0}"
        case 21: return "Revert \""
        case 22: return pick(["[#", "#1]", "[Fixes #", "[#1 delivers]", "[finishes #1, #2]"])
        default: return pick(["word", "text", "a", "x"])
        }
    }

    mutating func fragmentMessage() -> String {
        (0..<below(48)).map { _ in fragment() }.joined()
    }

    /// Text between groups: anything but `[` and `]`, so it can neither open nor close a group.
    mutating func filler() -> String {
        var text = ""
        for _ in 0..<below(6) {
            let piece = fragment()
            if !piece.utf8.contains(where: { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") }) { text += piece }
        }
        return text
    }

    /// A span that is not a tag group.
    mutating func decoySpan() -> String {
        pick(["[# 9]", "[#9a]", "[#]", "[#0]", "[#000 fixes]", "[#" + digits(20) + "]", "[#9223372036854775808]",
              "[Fixes 123]", "[WIP]", "[]", "[#9.]", "[#9#]", "[fixes\n#4]", "[delivers #\u{0}5]", "[#１２]"])
    }

    /// A well-formed tag group and what it must parse to.
    mutating func plantedGroup() -> (text: String, group: PlantedGroup) {
        // Each token with the story it references, if any.
        var tokens: [(text: String, story: Int64?)] = []
        var hasFinish = false
        var hasDeliver = false
        for _ in 0..<(1 + below(3)) {
            let story = storyID()
            let written = String(story)
            let zeros = written.count < 19 && chance(1, in: 6) ? String(repeating: "0", count: 1 + below(19 - written.count)) : ""
            switch below(6) {
            case 0:
                // A verb glued to the reference counts as that verb, and the reference counts.
                let verb = pick(Self.finishVerbs + Self.deliverVerbs)
                tokens.append((randomCase(verb) + pick(["", ":", "."]) + "#" + zeros + written, story))
                if verb.hasPrefix("deliver") { hasDeliver = true } else { hasFinish = true }
            case 1:
                tokens.append((pick(["##", "(", "x", "PT"]) + "#" + zeros + written, story))
            default:
                tokens.append(("#" + zeros + written, story))
            }
        }
        for _ in 0..<below(3) {
            switch below(6) {
            case 0, 1:
                tokens.append((randomCase(pick(Self.finishVerbs)) + pick(["", ":", "."]), nil))
                hasFinish = true
            case 2:
                tokens.append((randomCase(pick(Self.deliverVerbs)) + pick(["", ":", "..:"]), nil))
                hasDeliver = true
            case 3:
                // A verb written as a hashtag counts as that verb.
                let verb = pick(Self.finishVerbs + Self.deliverVerbs)
                tokens.append((pick(["#", "##"]) + randomCase(verb) + pick(["", ":"]), nil))
                if verb.hasPrefix("deliver") { hasDeliver = true } else { hasFinish = true }
            default:
                // Ignored words: misspellings, numbers without '#', stray '#', other text.
                tokens.append((pick(["finsihes", "delivred", "2", "#", "#abc", "foo", "and", "修正", "-", "&", "Fixs",
                                     "prefixes", "completedd", "#9a", "#0"]), nil))
            }
        }
        // Shuffle: the verb may stand before, between or after the ids.
        for index in stride(from: tokens.count - 1, to: 0, by: -1) {
            tokens.swapAt(index, below(index + 1))
        }
        var text = "[" + pick(["", " ", "\t"])
        for (index, token) in tokens.enumerated() {
            if index > 0 { text += pick([" ", ", ", ",", "\t", " ,  "]) }
            text += token.text
        }
        text += pick(["", " ", ","]) + "]"
        let action: StoryAction = hasDeliver ? .deliver : (hasFinish ? .finish : .mention)
        return (text, PlantedGroup(stories: tokens.compactMap(\.story), action: action))
    }

    /// A message of filler, planted groups and decoy spans, with the groups and references the tag rules give it.
    mutating func plantedMessage(fillerScale: Int = 1) -> (text: String, groups: [PlantedGroup], references: [StoryReference]) {
        var text = chance(1, in: 8) ? "Revert \"" : ""
        var groups: [PlantedGroup] = []
        for _ in 0..<below(5) {
            for _ in 0..<fillerScale { text += filler() }
            if chance(1, in: 4) {
                text += decoySpan()
            } else {
                let planted = plantedGroup()
                text += planted.text
                groups.append(planted.group)
            }
        }
        for _ in 0..<fillerScale { text += filler() }
        var references: [StoryReference] = []
        for group in groups {
            for story in group.stories {
                if let index = references.firstIndex(where: { $0.story == story }) {
                    if group.action > references[index].action {
                        references[index] = StoryReference(story: story, action: group.action)
                    }
                } else {
                    references.append(StoryReference(story: story, action: group.action))
                }
            }
        }
        return (text, groups, references)
    }
}
