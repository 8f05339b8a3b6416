import XCTest
@testable import CommitBridgeCore

/// One row of the parser table: a message, the references it must yield (in order), and one
/// substring per expected warning (in order; an empty list means "no warnings at all").
private struct Row {
    let message: String
    let references: [StoryReference]
    let warnings: [String]
    let line: UInt

    init(_ message: String, _ references: [StoryReference], warns warnings: [String] = [], line: UInt = #line) {
        self.message = message
        self.references = references
        self.warnings = warnings
        self.line = line
    }
}

private func m(_ story: Int64) -> StoryReference { StoryReference(story: story, action: .mention) }
private func f(_ story: Int64) -> StoryReference { StoryReference(story: story, action: .finish) }
private func d(_ story: Int64) -> StoryReference { StoryReference(story: story, action: .deliver) }

private let table: [Row] = [
    // The documented syntax examples.
    Row("Add login [#123]", [m(123)]),
    Row("[Fixes #123] crash on start", [f(123)]),
    Row("[#123 delivers] ship it", [d(123)]),
    Row("[finishes #1, #2] two at once", [f(1), f(2)]),
    Row("[#1] then later [Finishes #1]", [f(1)]),
    Row("[Delivers #1] and [#2] and [fixed #1]", [d(1), m(2)]),
    Row("[COMPLETED: #7.]", [], warns: ["'#7.' in [COMPLETED: #7.] is not a story reference: the digits must end at a space, a comma or ']' (write #7)"]),
    Row("[Completed: #7]", [f(7)]),
    Row("[#1,#2,#3]", [m(1), m(2), m(3)]),
    Row("[##9]", [m(9)]),
    Row("[#1]\n[#2 fixes]", [m(1), f(2)]),
    Row("[Finishes\n#1]", [], warns: ["'Finishes #1' is outside square brackets"]),
    Row("Fixes #123", [], warns: ["'Fixes #123' is outside square brackets: Tracker will ignore it (write [Fixes #123])"]),
    Row("[finsihes #12]", [m(12)], warns: ["did you mean 'finishes'?"]),

    // Rule 1: where groups are, and what ends them.
    Row("Subject line\n\nBody explains it.\n[Delivers #42]\n", [d(42)]),
    Row("[a [#1]", [m(1)]),
    Row("[[#3]]", [m(3)]),
    Row("[#1] [#2]] [[#3]", [m(1), m(2), m(3)]),
    Row("#5] stray closer and [#6]", [m(6)]),
    Row("[Fixes #12 never closed", [], warns: ["'Fixes #12' is outside square brackets"]),
    Row("[fixes\r\n#4]", [], warns: ["'fixes  #4' is outside square brackets"]),
    Row("see [docs] and [#8, finishes] and [v2.0]", [f(8)]),
    Row("[]", []),

    // Rule 2: separators and trailing ':' / '.'.
    Row("[Fixes\t#10]", [f(10)]),
    Row("[Fixes\r#11]", [f(11)]),
    Row("[#1\u{0B}#2\u{0C}fixed]", [f(1), f(2)]),
    Row("[#1,,, #2 ,#3]", [m(1), m(2), m(3)]),
    Row("[Finishes: #41]", [f(41)]),
    Row("[Delivered.:. #43]", [d(43)]),
    Row("[  #44   ]", [m(44)]),

    // Rule 3: what is a story reference.
    Row("[Fixes#9]", [f(9)], warns: ["'Fixes#9' in [Fixes#9] has its verb glued to the story id; read as 'Fixes #9'"]),
    Row("[Delivers:#4]", [d(4)], warns: ["'Delivers:#4' in [Delivers:#4] has its verb glued to the story id; read as 'Delivers: #4'"]),
    Row("[# 9]", [], warns: ["[# 9]: '#' must touch the number (write #9)"]),
    Row("[#9a]", [], warns: ["'#9a' in [#9a] is not a story reference: the digits must end"]),
    Row("[#]", []),
    Row("[#00012]", [m(12)]),
    Row("[#0]", [], warns: ["'#0' in [#0] is not a story reference: story ids start at 1"]),
    Row("[#000]", [], warns: ["story ids start at 1"]),
    Row("[#12345678901234567890]", [], warns: ["at most 19 digits"]),
    Row("[#9223372036854775807]", [m(9_223_372_036_854_775_807)]),
    Row("[#9223372036854775808]", [], warns: ["'#9223372036854775808' in [#9223372036854775808] is not a story reference: a story id has at most 19 digits and must fit a signed 64-bit integer"]),
    Row("[#0000000000000000001]", [m(1)]),
    Row("[#00000000000000000001]", [], warns: ["'#00000000000000000001' in [#00000000000000000001] is not a story reference: a story id has at most 19 digits"]),
    Row("[#9.]", [], warns: ["'#9.' in [#9.] is not a story reference: the digits must end at a space, a comma or ']' (write #9)"]),
    Row("[#9:]", [], warns: ["'#9:' in [#9:]"]),
    Row("[a#b#9]", [m(9)], warns: ["'a#b' glued to '#9' in [a#b#9] is ignored"]),
    Row("[#1#2]", [m(2)], warns: ["'#1' glued to '#2'"]),
    Row("[#9#]", [], warns: ["'#9#' in [#9#] is not a story reference"]),
    Row("[(#45]", [m(45)]),
    Row("[Finishes #1 (#2)]", [f(1)], warns: ["'(#2)' in [Finishes #1 (#2)] is not a story reference"]),

    // Rule 4: verbs are whole tokens, any case.
    Row("[FIXES #20]", [f(20)]),
    Row("[fIxInG #21]", [f(21)]),
    Row("[complete #22]", [f(22)]),
    Row("[Delivering #23]", [d(23)]),
    Row("[prefixes #24]", [m(24)], warns: ["unknown word 'prefixes' in [prefixes #24] is ignored"]),
    Row("[fix-es #25]", [m(25)], warns: ["unknown word 'fix-es'"]),
    Row("[fix3s #26]", [m(26)], warns: ["unknown word 'fix3s'"]),

    // Rule 5: one action for the whole group, wherever the verb stands.
    Row("[#30 fixes #31]", [f(30), f(31)]),
    Row("[#32, #33 delivered]", [d(32), d(33)]),
    Row("[finishes delivers #5]", [d(5)], warns: ["[finishes delivers #5] has both a finish and a deliver verb: deliver wins"]),
    Row("[Delivered #1 finishes]", [d(1)], warns: ["deliver wins"]),

    // Rule 6: each story once, first-appearance order, strongest action.
    Row("[#2] [#1] [Delivers #2]", [d(2), m(1)]),
    Row("[Delivers #3] [Fixes #3] [#3]", [d(3)]),
    Row("[#1, #1]", [m(1)]),
    Row("[#7]\n\n[Finishes #8, #7]\n[#9]", [f(7), f(8), m(9)]),

    // Rule 7: words that are not verbs.
    Row("[#5 foo]", [m(5)], warns: ["unknown word 'foo' in [#5 foo] is ignored"]),
    Row("[#5 foo. bar:]", [m(5)], warns: ["unknown word 'foo'", "unknown word 'bar'"]),
    Row("[#5 foo foo]", [m(5)], warns: ["unknown word 'foo'"]),
    Row("[#5 foo] [#5 foo]", [m(5)], warns: ["unknown word 'foo' in [#5 foo]"]),
    Row("[#1 & #2 - #3]", [m(1), m(2), m(3)]),
    Row("[#1 #]", [m(1)], warns: ["unknown word '#' in [#1 #] is ignored"]),
    Row("[PT#9]", [m(9)], warns: ["'PT' glued to '#9' in [PT#9] is ignored"]),
    Row("[Fixs#9]", [m(9)], warns: ["'Fixs' is glued to the story and is not a Tracker verb; did you mean 'fix #9'?"]),
    Row("[Fxies:#19]", [m(19)], warns: ["'Fxies:#19' in [Fxies:#19]: 'Fxies' is glued to the story and is not a Tracker verb; did you mean 'fixes #19'?"]),
    Row("[#finsihes #12]", [m(12)], warns: ["unknown word '#finsihes' in [#finsihes #12] is ignored"]),
    Row("[Fixes #3 and delivers]", [d(3)], warns: ["unknown word 'and'", "deliver wins"]),

    // Rule 4: a verb glued to '#' or to a reference counts, and is warned about.
    Row("[#finishes #9]", [f(9)], warns: ["'#finishes' in [#finishes #9] has its verb glued to '#'; read as 'finishes'"]),
    Row("[#9 ##Delivered]", [d(9)], warns: ["read as 'Delivered'"]),
    Row("[Finishes#104037838](https://www.pivotaltracker.com/story/show/104037838)", [f(104_037_838)],
        warns: ["'Finishes#104037838' in [Finishes#104037838] has its verb glued to the story id; read as 'Finishes #104037838'"]),
    Row("[FIXED.#5, #6]", [f(5), f(6)], warns: ["read as 'FIXED. #5'"]),
    Row("[#finishes#7]", [f(7)], warns: ["'#finishes#7' in [#finishes#7] has its verb glued to the story id; read as 'finishes #7'"]),
    Row("[#1 fixes#]", [f(1)], warns: ["'fixes#' in [#1 fixes#] has its verb glued to '#'; read as 'fixes'"]),
    Row("[a#fixes#9]", [f(9)], warns: ["read as 'a fixes #9'"]),
    Row("[fixes#b#9]", [f(9)], warns: ["'fixes#b#9' in [fixes#b#9] has its verb glued to '#'; read as 'fixes #b#9'"]),
    Row("[fixes#delivers#5]", [d(5)], warns: ["read as 'fixes delivers #5'", "deliver wins"]),
    Row("[#1 Fixes#9.]", [f(1)], warns: ["'Fixes#9.' in [#1 Fixes#9.] is not a story reference", "read as 'Fixes #9.'"]),
    Row("[#1 #9#fixes]", [f(1)], warns: ["'#9#fixes' in [#1 #9#fixes] is not a story reference", "glued to '#'; read as '#9 fixes'"]),
    Row("[Fixes#9.]", [], warns: ["'Fixes#9.' in [Fixes#9.] is not a story reference: the digits must end at a space, a comma or ']'"]),
    Row("[#finishes] [delivers#]", []),
    Row("[Fixes#9] [#9 delivers]", [d(9)], warns: ["read as 'Fixes #9'"]),
    Row("Fixes#12 outside", []),

    // Rule 7: misspelled verbs and their suggestions.
    Row("[delivred #13]", [m(13)], warns: ["'delivred' in [delivred #13] is not a Tracker verb; did you mean 'delivered'?"]),
    Row("[complted #14]", [m(14)], warns: ["did you mean 'completed'?"]),
    Row("[finishd #15]", [m(15)], warns: ["did you mean 'finish'?"]),
    Row("[fixex #16]", [m(16)], warns: ["did you mean 'fixes'?"]),
    Row("[delivery #17]", [m(17)], warns: ["did you mean 'deliver'?"]),
    Row("[fxi #18]", [m(18)], warns: ["'fxi' in [fxi #18] is not a Tracker verb; did you mean 'fix'?"]),
    Row("[Fxies: #19]", [m(19)], warns: ["'Fxies' in [Fxies: #19] is not a Tracker verb; did you mean 'fixes'?"]),
    Row("[#27 fxxx]", [m(27)], warns: ["unknown word 'fxxx'"]),
    Row("[#28 fabulous]", [m(28)], warns: ["unknown word 'fabulous'"]),

    // Rule 7: numbers without '#', and '#' apart from its number.
    Row("[Finishes #1, 2]", [f(1)], warns: ["'2' in [Finishes #1, 2] has no '#': Tracker will not see story 2 (write #2)"]),
    Row("[#1 2 3.]", [m(1)], warns: ["'2' in [#1 2 3.]", "'3' in [#1 2 3.]"]),
    Row("[# 123]", [], warns: ["[# 123]: '#' must touch the number (write #123)"]),
    Row("[# 1, # 2]", [], warns: ["(write #1)", "(write #2)"]),
    Row("[Fixes #1 # 2]", [f(1)], warns: ["[Fixes #1 # 2]: '#' must touch the number (write #2)"]),
    Row("[Finishes 123]", [], warns: ["'123' in [Finishes 123] has no '#'"]),
    Row("[Finsihes 123]", [], warns: ["did you mean 'finishes'?", "'123' in [Finsihes 123] has no '#'"]),
    Row("[Fixed 2 bugs]", [], warns: ["'2' in [Fixed 2 bugs] has no '#'"]),

    // Rule 7: brackets that are not near misses stay quiet.
    Row("[WIP] work in progress", []),
    Row("[skip ci] bump version", []),
    Row("[1/3] split the parser", []),
    Row("[ ] todo", []),
    Row("[2] second attempt", []),
    Row("[#abc] [C#] [fixed]", []),

    // Rule 7: tag-like text outside brackets.
    Row("Delivered #5 to staging", [], warns: ["'Delivered #5' is outside square brackets"]),
    Row("Finishes: #77 yes", [], warns: ["(write [Finishes: #77])"]),
    Row("fixs #8", [], warns: ["'fixs #8' is outside square brackets: Tracker will ignore it (write [fix #8])"]),
    Row("[WIP] Fixes #3", [], warns: ["'Fixes #3' is outside square brackets"]),
    Row("[#1] fixes #2", [m(1)], warns: ["'fixes #2' is outside square brackets"]),
    Row("Add feature (#45)", [], warns: ["'(#45)' looks like a story tag but is not in square brackets"]),
    Row("[see (#46)]", [], warns: ["'(#46)' in [see (#46)] is not a story reference"]),
    Row("Merge pull request #123 from team/branch", []),
    Row("Fixes #123abc and Fixes#12 and prefix #3", []),
    Row("Fixes #0 or (#0)", []),

    // Warning order follows the message.
    Row("[#1 foo] Fixes #2 [#3 bar]", [m(1), m(3)], warns: ["'foo'", "'Fixes #2'", "'bar'"]),
    Row("(#1) [#2 zap]", [m(2)], warns: ["'(#1)'", "unknown word 'zap'"]),

    // Rule 8 and text with no brackets at all.
    Row("", []),
    Row("Refactor the scanner", []),
    Row("naïve café — [#4] 日本語 [Fixes #5] 🎉", [m(4), f(5)]),
]

final class TagParserTests: XCTestCase {
    private let parser = TagParser()

    func testTableHasEnoughDistinctMessages() {
        XCTAssertGreaterThanOrEqual(Set(table.map(\.message)).count, 70)
        XCTAssertEqual(Set(table.map(\.message)).count, table.count, "duplicate messages in the table")
    }

    func testTable() {
        for row in table {
            let result = parser.parse(row.message)
            XCTAssertEqual(result.references, row.references, "references of \(row.message.debugDescription)", line: row.line)
            XCTAssertEqual(result.isEmpty, row.references.isEmpty, line: row.line)
            XCTAssertEqual(
                result.warnings.count, row.warnings.count,
                "warnings of \(row.message.debugDescription): \(result.warnings)", line: row.line)
            for (warning, expected) in zip(result.warnings, row.warnings) {
                XCTAssertTrue(
                    warning.contains(expected),
                    "\(warning.debugDescription) should contain \(expected.debugDescription)", line: row.line)
            }
            for warning in result.warnings {
                XCTAssertFalse(warning.contains("\n"), "a warning is one line: \(warning.debugDescription)", line: row.line)
            }
            XCTAssertEqual(result.warnings.count, Set(result.warnings).count, "duplicate warnings", line: row.line)
        }
    }

    func testExactWarningWording() {
        let cases: [(String, [String])] = [
            ("[finsihes #12]", ["'finsihes' in [finsihes #12] is not a Tracker verb; did you mean 'finishes'?"]),
            ("[Finishes #1, 2]", ["'2' in [Finishes #1, 2] has no '#': Tracker will not see story 2 (write #2)"]),
            ("[# 123]", ["[# 123]: '#' must touch the number (write #123)"]),
            ("Fixes #123", ["'Fixes #123' is outside square brackets: Tracker will ignore it (write [Fixes #123])"]),
            ("x (#45)", ["'(#45)' looks like a story tag but is not in square brackets (write [#45])"]),
            ("[finishes delivers #5]", ["[finishes delivers #5] has both a finish and a deliver verb: deliver wins"]),
            ("[#5 foo]", ["unknown word 'foo' in [#5 foo] is ignored"]),
            ("[Fixes#9]", ["'Fixes#9' in [Fixes#9] has its verb glued to the story id; read as 'Fixes #9'"]),
            ("[Delivers:#4]", ["'Delivers:#4' in [Delivers:#4] has its verb glued to the story id; read as 'Delivers: #4'"]),
            ("[#finishes #9]", ["'#finishes' in [#finishes #9] has its verb glued to '#'; read as 'finishes'"]),
            ("[Finishes#104037838](https://www.pivotaltracker.com/story/show/104037838)",
             ["'Finishes#104037838' in [Finishes#104037838] has its verb glued to the story id; read as 'Finishes #104037838'"]),
            ("[Fixs#9]", ["'Fixs#9' in [Fixs#9]: 'Fixs' is glued to the story and is not a Tracker verb; did you mean 'fix #9'?"]),
        ]
        for (message, expected) in cases {
            XCTAssertEqual(parser.parse(message).warnings, expected, message)
        }
    }

    func testEveryVerbInEveryCase() {
        let finish = ["fix", "fixes", "fixed", "fixing", "finish", "finishes", "finished", "finishing",
                      "complete", "completes", "completed", "completing"]
        let deliver = ["deliver", "delivers", "delivered", "delivering"]
        for (verbs, action) in [(finish, StoryAction.finish), (deliver, StoryAction.deliver)] {
            for verb in verbs {
                for spelling in [verb, verb.uppercased(), verb.capitalized] {
                    let result = parser.parse("[\(spelling) #77]")
                    XCTAssertEqual(result.references, [StoryReference(story: 77, action: action)], spelling)
                    XCTAssertEqual(result.warnings, [], spelling)
                }
            }
        }
        XCTAssertEqual(VerbTable.spellings, finish + deliver)
    }

    /// Every verb spelling glued to `#` or to the reference reads as the same verb written apart,
    /// with exactly one warning that says it is glued.
    func testEveryGluedVerbCountsAsThatVerb() {
        for verb in VerbTable.spellings {
            for spelling in [verb, verb.uppercased(), verb.capitalized] {
                let forms = [
                    ("[\(spelling)#77]", "[\(spelling) #77]", "read as '\(spelling) #77'"),
                    ("[\(spelling):#77]", "[\(spelling): #77]", "read as '\(spelling): #77'"),
                    ("[\(spelling).#77]", "[\(spelling). #77]", "read as '\(spelling). #77'"),
                    ("[#\(spelling) #77]", "[\(spelling) #77]", "read as '\(spelling)'"),
                    ("[#77, #\(spelling):]", "[#77, \(spelling):]", "read as '\(spelling):'"),
                    ("[\(spelling)#77](https://www.pivotaltracker.com/story/show/77)",
                     "[\(spelling) #77](https://www.pivotaltracker.com/story/show/77)", "read as '\(spelling) #77'"),
                ]
                for (glued, apart, readAs) in forms {
                    let result = parser.parse(glued)
                    let expected = parser.parse(apart)
                    XCTAssertNotEqual(expected.references.first?.action, .mention, apart)
                    XCTAssertEqual(result.references, expected.references, glued)
                    XCTAssertEqual(result.groups.map(\.action), expected.groups.map(\.action), glued)
                    XCTAssertEqual(expected.warnings, [], apart)
                    XCTAssertEqual(result.warnings.count, 1, "\(glued): \(result.warnings)")
                    let warning = result.warnings.first ?? ""
                    XCTAssertTrue(warning.contains(" has its verb glued to ") && warning.hasSuffix(readAs), "\(glued): \(warning)")
                }
            }
        }
    }

    /// A misspelled verb glued to a reference is no verb: the story is mentioned, and the warning
    /// suggests the verb, as before glued verbs counted.
    func testMisspelledGluedVerbsStayMentions() {
        for (word, suggestion) in [("Fixs", "fix"), ("finsihes", "finishes"), ("delivred", "delivered"), ("Complted", "completed")] {
            for glue in ["#", ":#"] {
                let result = parser.parse("[\(word)\(glue)8]")
                XCTAssertEqual(result.references, [m(8)], word)
                XCTAssertEqual(result.groups.map(\.action), [.mention], word)
                XCTAssertEqual(result.warnings.count, 1, "\(word): \(result.warnings)")
                XCTAssertTrue(result.warnings.first?.hasSuffix("did you mean '\(suggestion) #8'?") == true, "\(result.warnings)")
            }
        }
    }

    func testWarningsNeverChangeReferences() {
        for row in table where !row.warnings.isEmpty {
            let result = parser.parse(row.message)
            let groupStories = result.groups.flatMap(\.stories)
            XCTAssertEqual(Set(result.references.map(\.story)), Set(groupStories), row.message)
        }
    }

    // MARK: Groups and their byte ranges

    private func groupTexts(_ message: String) -> [String] {
        parser.parse(message).groups.map { group in
            String(decoding: Array(message.utf8)[group.utf8Range], as: UTF8.self)
        }
    }

    func testGroupRangesCoverTheBracketsExactly() {
        XCTAssertEqual(groupTexts("Add login [#123]"), ["[#123]"])
        XCTAssertEqual(groupTexts("[a [#1] [WIP] and [Fixes #2, #3]"), ["[#1]", "[Fixes #2, #3]"])
        XCTAssertEqual(groupTexts("[#1]\n[#2 fixes]\n[no] [#0]"), ["[#1]", "[#2 fixes]"])
        let group = parser.parse("x [Delivers #5, #6, #5]").groups
        XCTAssertEqual(group, [TagGroup(utf8Range: 2..<23, stories: [5, 6, 5], action: .deliver)])
    }

    func testGroupRangesAfterMultiByteText() {
        let message = "naïve café — 日本語 🎉👩‍👩‍👧 [Fixes #5] e\u{301} [#6]"
        let groups = parser.parse(message).groups
        XCTAssertEqual(groupTexts(message), ["[Fixes #5]", "[#6]"])
        // Byte offsets, not character offsets: the text before the first group is far longer in bytes.
        let prefixBytes = "naïve café — 日本語 🎉👩‍👩‍👧 ".utf8.count
        XCTAssertEqual(groups.first?.utf8Range, prefixBytes..<(prefixBytes + 10))
        XCTAssertNotEqual(prefixBytes, "naïve café — 日本語 🎉👩‍👩‍👧 ".count)
        XCTAssertEqual(groups.map(\.action), [.finish, .mention])
    }

    func testMultiByteTextInsideAGroupIsAWord() {
        let result = parser.parse("[#3 修正]")
        XCTAssertEqual(result.references, [m(3)])
        XCTAssertEqual(result.warnings, ["unknown word '修正' in [#3 修正] is ignored"])
        XCTAssertEqual(groupTexts("[#3 修正]"), ["[#3 修正]"])
    }

    // MARK: Long input

    func testFiftyKilobyteMessage() {
        var message = "[Finishes #1] Large change\n\n"
        var line = 0
        while message.utf8.count < 50_000 {
            line += 1
            message += "Line \(line): refactor the café module — naïve approach, see (notes) and [WIP].\n"
            if line == 300 { message += "Middle [#2, delivers] here\n" }
        }
        message += "Last words [#3]"
        XCTAssertGreaterThanOrEqual(message.utf8.count, 50_000)
        let result = parser.parse(message)
        XCTAssertEqual(result.references, [f(1), d(2), m(3)])
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(groupTexts(message), ["[Finishes #1]", "[#2, delivers]", "[#3]"])
        XCTAssertEqual(result.groups.last?.utf8Range.upperBound, message.utf8.count)
    }

    func testFiftyKilobyteGroupOfReferences() throws {
        let count: Int64 = 9_000
        let ids = (1...count).map { "#\($0)" }.joined(separator: " ")
        let message = "[" + ids + " #1 fixes #2 oops]"
        XCTAssertGreaterThanOrEqual(message.utf8.count, 50_000)
        let result = parser.parse(message)
        XCTAssertEqual(result.references.count, Int(count))
        XCTAssertEqual(result.references.map(\.story), Array(1...count))
        XCTAssertTrue(result.references.allSatisfy { $0.action == .finish })
        XCTAssertEqual(result.groups.count, 1)
        XCTAssertEqual(result.groups[0].stories.count, Int(count) + 2)
        XCTAssertEqual(result.warnings.count, 1)
        let warning = try XCTUnwrap(result.warnings.first)
        XCTAssertTrue(warning.hasPrefix("unknown word 'oops' in [#1 #2 #3"), warning)
        XCTAssertLessThan(warning.count, 100, "the quoted group is cut")
    }

    func testQuotedTextIsCutAtSixtyCharacters() {
        let long = String(repeating: "x", count: 200)
        let result = parser.parse("[#1 \(long)]")
        XCTAssertEqual(result.warnings.count, 1)
        let quotedWord = String(repeating: "x", count: 59) + "…"
        let quotedGroup = "[#1 " + String(repeating: "x", count: 55) + "…"
        XCTAssertEqual(result.warnings, ["unknown word '\(quotedWord)' in \(quotedGroup) is ignored"])
        // Exactly 60 characters are kept whole.
        let sixty = "[#1 " + String(repeating: "y", count: 55) + "]"
        XCTAssertEqual(sixty.count, 60)
        XCTAssertEqual(parser.parse(sixty).warnings.first?.hasSuffix("in \(sixty) is ignored"), true)
    }

    func testLongOutsideTextIsCut() {
        let result = parser.parse("Fixes" + String(repeating: " ", count: 100) + "#12")
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertTrue(result.warnings[0].hasPrefix("'Fixes" + String(repeating: " ", count: 54) + "…'"), result.warnings[0])
    }

    // MARK: Helpers

    func testOptimalStringAlignmentDistance() {
        func distance(_ a: String, _ b: String) -> Int {
            EditDistance.optimalStringAlignment(Array(a.utf8), Array(b.utf8))
        }
        XCTAssertEqual(distance("", ""), 0)
        XCTAssertEqual(distance("", "abc"), 3)
        XCTAssertEqual(distance("fix", ""), 3)
        XCTAssertEqual(distance("finsihes", "finishes"), 1)
        XCTAssertEqual(distance("kitten", "sitting"), 3)
        XCTAssertEqual(distance("abcd", "acbd"), 1)
        // Optimal string alignment never edits a swapped pair again (true Damerau would give 2).
        XCTAssertEqual(distance("ca", "abc"), 3)
    }

    func testDistanceLimitAgreesWithAFullTable() {
        // A plain full-table OSA, written independently, as the reference.
        func reference(_ a: [UInt8], _ b: [UInt8]) -> Int {
            var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            for i in stride(from: 1, through: a.count, by: 1) {
                for j in stride(from: 1, through: b.count, by: 1) {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                    }
                }
            }
            return d[a.count][b.count]
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcd".utf8)
        for _ in 0..<2_000 {
            let a = (0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let b = (0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let full = reference(a, b)
            XCTAssertEqual(EditDistance.optimalStringAlignment(a, b), full, "\(a) \(b)")
            for limit in 0...3 {
                XCTAssertEqual(EditDistance.optimalStringAlignment(a, b, limit: limit), min(full, limit + 1), "\(a) \(b) \(limit)")
            }
        }
        XCTAssertEqual(EditDistance.optimalStringAlignment(Array("request".utf8), Array("delivers".utf8), limit: 2), 3)
    }

    func testParsingIsDeterministic() {
        for row in table {
            XCTAssertEqual(parser.parse(row.message), parser.parse(row.message), row.message)
        }
    }
}
