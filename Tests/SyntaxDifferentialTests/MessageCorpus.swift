import TrackerSimKit

/// A seeded maker of commit messages, built from the same pieces as the client's parser property
/// tests: the tag syntax, its near misses, separators, line breaks, non-ASCII text and raw bytes.
/// The same seed gives the same messages on every run.
struct MessageGenerator {
    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }

    private mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    private static let finishWords = ["fix", "fixes", "fixed", "fixing", "finish", "finishes", "finished", "finishing",
                                      "complete", "completes", "completed", "completing"]
    private static let deliverWords = ["deliver", "delivers", "delivered", "delivering"]

    /// Bytes that are mostly the ones the syntax cares about (invalid UTF-8 included).
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in
            below(2) == 0 ? pick(Array("[]# ,:.\n0123456789fixdeliver".utf8)) : UInt8(truncatingIfNeeded: random.next())
        }
    }

    private mutating func mixedCase(_ word: String) -> String {
        String(word.map { below(2) == 0 ? Character($0.uppercased()) : $0 })
    }

    private mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(below(10))) })
    }

    private mutating func storyID() -> Int64 {
        switch below(4) {
        case 0, 1: return Int64(1 + below(12))
        case 2: return Int64(1 + below(100_000))
        default: return Int64(1 + random.next() % UInt64(Int64.max))
        }
    }

    /// One piece of free text.
    private mutating func fragment() -> String {
        switch below(24) {
        case 0, 1: return "["
        case 2, 3: return "]"
        case 4: return "#"
        case 5, 6: return "#" + digits(1 + below(4))
        case 7: return "#" + digits(19 + below(6))
        case 8: return pick(["#0", "#000", "#00012", "#9223372036854775807", "#9223372036854775808"])
        case 9, 10: return mixedCase(pick(Self.finishWords + Self.deliverWords)) + pick(["", "", ":", ".", ".:"])
        case 11: return pick(["finsihes", "delivred", "fxi", "Fixs", "prefixes", "fix-es", "WIP", "foo", "(", ")"])
        case 12: return digits(1 + below(3))
        case 13, 14: return pick([",", ", ", ":", "."])
        case 15, 16, 17: return pick([" ", " ", "  ", "\t", "\r", "\u{0B}", "\u{0C}"])
        case 18: return pick(["\n", "\r\n", "\n\n"])
        case 19: return pick(["é", "日本語", "🎉", "e\u{301}", "\u{2028}", "\u{85}", "\u{A0}", "\u{FEFF}", "\u{17F}", "\u{212A}"])
        case 20: return "\u{0}"
        case 21: return "Revert \""
        case 22: return pick(["[#", "#1]", "[Fixes #", "[#1 delivers]", "[finishes #1, #2]"])
        default: return pick(["word", "text", "a", "x"])
        }
    }

    /// Up to 48 fragments in a row.
    mutating func fragmentMessage() -> String {
        (0..<below(48)).map { _ in fragment() }.joined()
    }

    /// Text that cannot open or close a group.
    private mutating func filler() -> String {
        (0..<below(6)).map { _ in fragment() }.filter { !$0.contains("[") && !$0.contains("]") }.joined()
    }

    /// A well-formed group: one to three references (some with a word glued to the `#`), up to two
    /// state words or ignored words, shuffled, with assorted separators.
    private mutating func group() -> String {
        var tokens: [String] = []
        for _ in 0..<(1 + below(3)) {
            let written = String(storyID())
            let zeros = written.count < 19 && below(6) == 0 ? String(repeating: "0", count: 1 + below(19 - written.count)) : ""
            switch below(6) {
            case 0: tokens.append(mixedCase(pick(Self.finishWords + Self.deliverWords)) + "#" + zeros + written)
            case 1: tokens.append(pick(["##", "(", "x", "PT"]) + "#" + zeros + written)
            default: tokens.append("#" + zeros + written)
            }
        }
        for _ in 0..<below(3) {
            switch below(5) {
            case 0, 1: tokens.append(mixedCase(pick(Self.finishWords)) + pick(["", ":", "."]))
            case 2: tokens.append(mixedCase(pick(Self.deliverWords)) + pick(["", ":", "..:"]))
            default: tokens.append(pick(["finsihes", "delivred", "2", "#", "#abc", "foo", "and", "修正", "-", "&",
                                         "Fixs", "prefixes", "completedd", "#9a", "#0"]))
            }
        }
        for index in stride(from: tokens.count - 1, to: 0, by: -1) { tokens.swapAt(index, below(index + 1)) }
        var separated = ""
        for (index, token) in tokens.enumerated() {
            if index > 0 { separated += pick([" ", ", ", ",", "\t", " ,  "]) }
            separated += token
        }
        return "[" + pick(["", " ", "\t"]) + separated + pick(["", " ", ","]) + "]"
    }

    /// Spans that look like groups but are not.
    private mutating func decoy() -> String {
        pick(["[# 9]", "[#9a]", "[#]", "[#0]", "[#000 fixes]", "[#" + digits(20) + "]", "[#9223372036854775808]",
              "[Fixes 123]", "[WIP]", "[]", "[#9.]", "[#9#]", "[fixes\n#4]", "[delivers #\u{0}5]", "[#１２]"])
    }

    /// Filler, groups and decoys.
    mutating func plantedMessage() -> String {
        var text = below(8) == 0 ? "Revert \"" : ""
        for _ in 0..<below(5) {
            text += filler()
            text += below(4) == 0 ? decoy() : group()
        }
        return text + filler()
    }
}

/// The messages of the client's parser table, its prefilter samples and its long-input cases.
enum TableMessages {
    static var all: [String] {
        table + prefilter + [longMessage, longGroup]
    }

    static let table = [
        "Add login [#123]", "[Fixes #123] crash on start", "[#123 delivers] ship it", "[finishes #1, #2] two at once",
        "[#1] then later [Finishes #1]", "[Delivers #1] and [#2] and [fixed #1]", "[COMPLETED: #7.]", "[Completed: #7]",
        "[#1,#2,#3]", "[##9]", "[#1]\n[#2 fixes]", "[Finishes\n#1]", "Fixes #123", "[finsihes #12]",
        "Subject line\n\nBody explains it.\n[Delivers #42]\n", "[a [#1]", "[[#3]]", "[#1] [#2]] [[#3]",
        "#5] stray closer and [#6]", "[Fixes #12 never closed", "[fixes\r\n#4]", "see [docs] and [#8, finishes] and [v2.0]",
        "[]", "[Fixes\t#10]", "[Fixes\r#11]", "[#1\u{0B}#2\u{0C}fixed]", "[#1,,, #2 ,#3]", "[Finishes: #41]",
        "[Delivered.:. #43]", "[  #44   ]", "[Fixes#9]", "[Delivers:#4]", "[# 9]", "[#9a]", "[#]", "[#00012]", "[#0]",
        "[#000]", "[#12345678901234567890]", "[#9223372036854775807]", "[#9223372036854775808]",
        "[#0000000000000000001]", "[#00000000000000000001]", "[#9.]", "[#9:]", "[a#b#9]", "[#1#2]", "[#9#]", "[(#45]",
        "[Finishes #1 (#2)]", "[FIXES #20]", "[fIxInG #21]", "[complete #22]", "[Delivering #23]", "[prefixes #24]",
        "[fix-es #25]", "[fix3s #26]", "[#30 fixes #31]", "[#32, #33 delivered]", "[finishes delivers #5]",
        "[Delivered #1 finishes]", "[#2] [#1] [Delivers #2]", "[Delivers #3] [Fixes #3] [#3]", "[#1, #1]",
        "[#7]\n\n[Finishes #8, #7]\n[#9]", "[#5 foo]", "[#5 foo. bar:]", "[#5 foo foo]", "[#5 foo] [#5 foo]",
        "[#1 & #2 - #3]", "[#1 #]", "[PT#9]", "[Fixs#9]", "[Fixes #3 and delivers]", "[delivred #13]", "[complted #14]",
        "[finishd #15]", "[fixex #16]", "[delivery #17]", "[fxi #18]", "[Fxies: #19]", "[#27 fxxx]", "[#28 fabulous]",
        "[Finishes #1, 2]", "[#1 2 3.]", "[# 123]", "[# 1, # 2]", "[Fixes #1 # 2]", "[Finishes 123]", "[Finsihes 123]",
        "[Fixed 2 bugs]", "[WIP] work in progress", "[skip ci] bump version", "[1/3] split the parser", "[ ] todo",
        "[2] second attempt", "[#abc] [C#] [fixed]", "Delivered #5 to staging", "Finishes: #77 yes", "fixs #8",
        "[WIP] Fixes #3", "[#1] fixes #2", "Add feature (#45)", "[see (#46)]", "Merge pull request #123 from team/branch",
        "Fixes #123abc and Fixes#12 and prefix #3", "Fixes #0 or (#0)", "[#1 foo] Fixes #2 [#3 bar]", "(#1) [#2 zap]",
        "", "Refactor the scanner", "naïve café — [#4] 日本語 [Fixes #5] 🎉", "[#3 修正]",
        "[a [#1] [WIP] and [Fixes #2, #3]", "[#1]\n[#2 fixes]\n[no] [#0]", "x [Delivers #5, #6, #5]",
        "naïve café — 日本語 🎉👩‍👩‍👧 [Fixes #5] e\u{301} [#6]", "[#finishes #9]", "[Finishes#9](https://example.com/x)",
        "[Fxies:#19]", "[#finsihes #12]", "[#9 ##Delivered]", "[FIXED.#5, #6]", "[#finishes#7]", "[#1 fixes#]",
        "[a#fixes#9]", "[fixes#b#9]", "[fixes#delivers#5]", "[#1 Fixes#9.]", "[#1 #9#fixes]", "[Fixes#9.]",
        "[#finishes] [delivers#]", "[Fixes#9] [#9 delivers]", "Fixes#12 outside",
        "[Finishes#104037838](https://www.pivotaltracker.com/story/show/104037838)",
        "x (#45)", "Fixes" + String(repeating: " ", count: 100) + "#12", "[#1 " + String(repeating: "x", count: 200) + "]",
    ] + verbSpellings

    /// Every state word in lower, upper and capitalised spelling.
    static var verbSpellings: [String] {
        ["fix", "fixes", "fixed", "fixing", "finish", "finishes", "finished", "finishing", "complete", "completes",
         "completed", "completing", "deliver", "delivers", "delivered", "delivering"].flatMap { word in
            [word, word.uppercased(), word.capitalized].map { "[\($0) #77]" }
        }
    }

    static let prefilter = ["[#12]", "[Fixes 12]", "Fixes #123", "[# 12]", "[Fixes#9]", "[finsihes #1]", "[#9.]",
                            "Fixes ＃12 ［#3］ Closes story 12", "Revert \"[Finishes #1] x\"\n\nThis reverts commit abc."]

    /// About fifty kilobytes of text with three groups spread through it.
    static var longMessage: String {
        var message = "[Finishes #1] Large change\n\n"
        var line = 0
        while message.utf8.count < 50_000 {
            line += 1
            message += "Line \(line): refactor the café module — naïve approach, see (notes) and [WIP].\n"
            if line == 300 { message += "Middle [#2, delivers] here\n" }
        }
        return message + "Last words [#3]"
    }

    /// One group of nine thousand references.
    static var longGroup: String {
        "[" + (1...9_000).map { "#\($0)" }.joined(separator: " ") + " #1 fixes #2 oops]"
    }
}
