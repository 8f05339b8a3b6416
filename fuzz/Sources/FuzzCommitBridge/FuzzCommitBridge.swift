// libFuzzer entry point for CommitBridgeCore: the tag parser (SPEC §1) and the payload path
// (SPEC §2: revert rewrite, shortening, the source_commit JSON, the commit URL).
//
// No main here: libFuzzer supplies it. Build with `-sanitize=fuzzer,address -parse-as-library`
// (see fuzz/run.sh). Every broken invariant ends in fatalError, which libFuzzer reports as a crash
// and saves as an artifact.

import CommitBridgeCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let raw = UnsafeBufferPointer(start: size > 0 ? data : nil, count: size)
    // Git hands commitbridge bytes; invalid UTF-8 becomes U+FFFD (SPEC §2).
    let message = String(decoding: raw, as: UTF8.self)
    Harness(raw: raw, message: message).run()
    return 0
}

/// Traps with a readable reason; libFuzzer turns the trap into a saved crash input.
@inline(never)
func require(_ condition: Bool, _ what: @autoclosure () -> String, in message: String) {
    if !condition {
        fatalError("fuzz invariant broken: \(what())\nmessage: \(message.debugDescription)")
    }
}

private let asciiHash = UInt8(ascii: "#")
private let asciiOpen = UInt8(ascii: "[")
private let asciiClose = UInt8(ascii: "]")
private let asciiNewline = UInt8(ascii: "\n")

/// ASCII whitespace (space, tab, LF, VT, FF, CR) or a comma: what separates tokens in a group (SPEC §1.2).
private func isSeparator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: ",") || (byte >= 0x09 && byte <= 0x0D)
}

private let finishVerbs: Set<String> = [
    "fix", "fixes", "fixed", "fixing", "finish", "finishes", "finished", "finishing",
    "complete", "completes", "completed", "completing",
]
private let deliverVerbs: Set<String> = ["deliver", "delivers", "delivered", "delivering"]

private func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty ? 0 : nil }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
    }
    return nil
}

private struct DecodedReference: Decodable {
    let story: Int64
    let action: String
}

private struct DecodedParseOutput: Decodable {
    let references: [DecodedReference]
    let warnings: [String]
}

private struct DecodedSourceCommit: Decodable {
    let commit_id: String
    let message: String
    let url: String?
    let author: String
}

private struct DecodedDryRun: Decodable {
    struct Payload: Decodable { let source_commit: DecodedSourceCommit }
    let commit: String
    let references: [DecodedReference]
    let payload: Payload
}

struct Harness {
    let raw: UnsafeBufferPointer<UInt8>
    let message: String
    let bytes: [UInt8]

    static let parser = TagParser()
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    init(raw: UnsafeBufferPointer<UInt8>, message: String) {
        self.raw = raw
        self.message = message
        self.bytes = Array(message.utf8)
    }

    private func require(_ condition: Bool, _ what: @autoclosure () -> String) {
        FuzzCommitBridge.require(condition, what(), in: message)
    }

    func run() {
        let parser = Harness.parser
        let result = parser.parse(message)

        // The same input gives the same output, also from a fresh copy of its bytes.
        require(parser.parse(message) == result, "parsing twice gives the same result")
        let copy = String(decoding: bytes, as: UTF8.self)
        require(parser.parse(copy) == result, "a copy of the message parses the same")

        // The pre-check on raw bytes: no '#' and no '[' means nothing to find (TagParser.mayFindTags).
        if !TagParser.mayFindTags(in: raw) {
            require(result.references.isEmpty && result.groups.isEmpty && result.warnings.isEmpty,
                    "mayFindTags is false but the parse found something: \(result)")
        }

        checkGroups(result, in: bytes, of: message)
        checkWarnings(result)
        checkParseJSON(result)
        let rewritten = checkRevertRewrite(result)

        // Payload shortening, with a small limit and right at the edge of the message's length.
        let total = message.unicodeScalars.count
        for limit in Set([200, 64, max(0, total - 1)]) {
            checkShortening(message, bytes: bytes, parsed: result, limit: limit)
            checkShortening(rewritten.text, bytes: Array(rewritten.text.utf8), parsed: rewritten.parsed, limit: limit)
        }

        checkPlanner(result)
        checkCommitURL()
    }

    // MARK: Parse result (SPEC §1)

    /// Rule 1 (where a group is), rule 3 (each story's digits are in the group, after a '#'),
    /// rule 5 (the group's action from its verb tokens) and rule 6 (how references fold).
    private func checkGroups(_ result: ParseResult, in bytes: [UInt8], of text: String) {
        var previousEnd = 0
        for group in result.groups {
            let range = group.utf8Range
            require(range.lowerBound >= previousEnd && range.upperBound <= bytes.count && range.count >= 2,
                    "group ranges are in order, apart and inside the message: \(range)")
            previousEnd = range.upperBound
            require(bytes[range.lowerBound] == asciiOpen && bytes[range.upperBound - 1] == asciiClose,
                    "a group runs from '[' to ']': \(range)")
            let inner = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
            require(!inner.contains(asciiOpen) && !inner.contains(asciiClose) && !inner.contains(asciiNewline),
                    "a group holds no '[', ']' or newline: \(range)")
            require(!group.stories.isEmpty, "a group holds at least one reference")
            for story in group.stories {
                require(story > 0, "story ids are positive: \(story)")
                require(Harness.storyAppears(story, in: inner),
                        "story \(story) appears in its group as '#', optional zeros, its digits, then a separator or ']'")
            }
            require(group.action == Harness.expectedAction(inner),
                    "group action \(group.action) follows its verb tokens (SPEC §1.5)")
        }
        // Rule 6: each story once, in order of first appearance, with its strongest action.
        var expected: [StoryReference] = []
        for group in result.groups {
            for story in group.stories {
                if let index = expected.firstIndex(where: { $0.story == story }) {
                    if group.action > expected[index].action {
                        expected[index] = StoryReference(story: story, action: group.action)
                    }
                } else {
                    expected.append(StoryReference(story: story, action: group.action))
                }
            }
        }
        require(result.references == expected, "references fold the groups (SPEC §1.6): \(result.references) vs \(expected)")
        require(result.isEmpty == result.references.isEmpty, "isEmpty agrees with the references")
    }

    /// `#`, any leading zeros, the story's decimal digits (1–19 digits in all), then a separator or the end of the group.
    static func storyAppears(_ story: Int64, in inner: ArraySlice<UInt8>) -> Bool {
        let digits = Array(String(story).utf8)
        var index = inner.startIndex
        while index < inner.endIndex {
            defer { index += 1 }
            guard inner[index] == asciiHash else { continue }
            var cursor = index + 1
            while cursor < inner.endIndex, inner[cursor] == UInt8(ascii: "0") { cursor += 1 }
            let end = cursor + digits.count
            guard end <= inner.endIndex, inner[cursor..<end].elementsEqual(digits) else { continue }
            guard end - (index + 1) <= 19 else { continue }
            if end == inner.endIndex || isSeparator(inner[end]) { return true }
        }
        return false
    }

    /// The action SPEC §1.4–1.5 give a group: tokens split at whitespace and commas, then at '#' (a verb
    /// glued to '#' counts), trailing ':' and '.' dropped, verbs compared ASCII-case-insensitively.
    static func expectedAction(_ inner: ArraySlice<UInt8>) -> StoryAction {
        var hasFinish = false
        var hasDeliver = false
        var token: [UInt8] = []
        func flush() {
            while let last = token.last, last == UInt8(ascii: ":") || last == UInt8(ascii: ".") { token.removeLast() }
            if !token.isEmpty, token.count <= 10 {
                let word = String(decoding: token.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
                if finishVerbs.contains(word) { hasFinish = true }
                if deliverVerbs.contains(word) { hasDeliver = true }
            }
            token.removeAll(keepingCapacity: true)
        }
        for byte in inner {
            if isSeparator(byte) || byte == asciiHash { flush() } else { token.append(byte) }
        }
        flush()
        return hasDeliver ? .deliver : (hasFinish ? .finish : .mention)
    }

    /// Warnings are single lines without control characters (C0, DEL, C1: Quote turns them into
    /// spaces), each text once.
    private func checkWarnings(_ result: ParseResult) {
        for warning in result.warnings {
            require(!warning.isEmpty, "a warning has text")
            require(!warning.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                    "a warning has no control characters: \(warning.debugDescription)")
        }
        require(Set(result.warnings).count == result.warnings.count, "warnings are not repeated")
    }

    /// `parse --json` output is valid JSON that reads back to the same references and warnings.
    private func checkParseJSON(_ result: ParseResult) {
        let text = ReferenceJSON.parseOutput(result).serialized()
        checkJSONText(text)
        guard let decoded = try? JSONDecoder().decode(DecodedParseOutput.self, from: Data(text.utf8)) else {
            require(false, "parse JSON decodes: \(text.debugDescription)")
            return
        }
        require(decoded.references.map(\.story) == result.references.map(\.story), "JSON stories round-trip")
        require(decoded.references.map(\.action) == result.references.map(\.action.rawValue), "JSON actions round-trip")
        require(decoded.warnings.map { Array($0.utf8) } == result.warnings.map { Array($0.utf8) }, "JSON warnings round-trip")
    }

    /// Compact JSON from JSONValue: no raw control characters, and U+2028/U+2029 escaped (as JSONValue documents).
    private func checkJSONText(_ text: String) {
        let utf8 = Array(text.utf8)
        require(!utf8.contains { $0 < 0x20 }, "JSON text has no raw control characters")
        require(firstOffset(of: [0xE2, 0x80, 0xA8], in: utf8) == nil && firstOffset(of: [0xE2, 0x80, 0xA9], in: utf8) == nil,
                "JSON text escapes U+2028 and U+2029")
    }

    // MARK: Payload (SPEC §2)

    /// A revert keeps its references and drops its verbs: each group becomes its bare references,
    /// and the text between groups is kept byte for byte.
    private func checkRevertRewrite(_ result: ParseResult) -> (text: String, parsed: ParseResult) {
        let text = RevertRewriter().rewrite(message, groups: result.groups)
        let parsed = Harness.parser.parse(text)
        let rewrittenBytes = Array(text.utf8)
        require(parsed.references == result.references.map { StoryReference(story: $0.story, action: .mention) },
                "a rewritten revert references the same stories, each as a mention: \(parsed.references)")
        require(parsed.groups.count == result.groups.count, "a rewritten revert keeps every group")
        var before = 0
        var after = 0
        for (old, new) in zip(result.groups, parsed.groups) {
            require(bytes[before..<old.utf8Range.lowerBound].elementsEqual(rewrittenBytes[after..<new.utf8Range.lowerBound]),
                    "a rewritten revert keeps the text between groups")
            var seen = Set<Int64>()
            require(new.stories == old.stories.filter { seen.insert($0).inserted } && new.action == .mention,
                    "a rewritten group holds its stories once each, as mentions")
            before = old.utf8Range.upperBound
            after = new.utf8Range.upperBound
        }
        require(bytes[before...].elementsEqual(rewrittenBytes[after...]), "a rewritten revert keeps the text after the last group")
        if result.groups.isEmpty { require(text == message, "a message without groups is not rewritten") }
        return (text, parsed)
    }

    /// SPEC §2: a message over the limit is shortened without losing a tag group, with a visible note.
    private func checkShortening(_ text: String, bytes: [UInt8], parsed: ParseResult, limit: Int) {
        let total = text.unicodeScalars.count
        let shortened = MessageShortener(limit: limit).shorten(text, groups: parsed.groups)
        guard total > limit else {
            require(!shortened.wasShortened && Array(shortened.text.utf8) == bytes, "a message within the limit is unchanged")
            return
        }
        require(shortened.wasShortened, "a message over the limit is shortened")
        let out = Array(shortened.text.utf8)
        let reparsed = Harness.parser.parse(shortened.text)
        // Each distinct group's text once, in order of first appearance; the last ones are left out
        // (and the note says so) only when the note and the distinct groups alone do not fit.
        var seen = Set<[UInt8]>()
        let distinct = parsed.groups.map { Array(bytes[$0.utf8Range]) }.filter { seen.insert($0).inserted }
        let kept = reparsed.groups.map { Array(out[$0.utf8Range]) }
        let leftOut = shortened.text.contains("did not fit were left out")
        if leftOut {
            require(kept.count < distinct.count && Array(distinct.prefix(kept.count)) == kept,
                    "the groups kept are the first distinct ones, in order (limit \(limit))")
        } else {
            require(reparsed.references == parsed.references,
                    "the shortened text (limit \(limit)) has the same references: \(reparsed.references) vs \(parsed.references)")
            require(kept == distinct, "the shortened text keeps each distinct group once, in order (limit \(limit))")
        }
        let note = Array("\n\n(commitbridge: message shortened from \(total) characters".utf8)
        guard let noteAt = firstOffset(of: note, in: out) else {
            require(false, "the shortened text says it was shortened")
            return
        }
        require(bytes.starts(with: out[0..<noteAt]), "the text before the note is the message's own beginning")
        require(!leftOut || noteAt == 0, "groups are left out only when nothing of the message is kept")
        // It fits, unless the limit is shorter than the note (then only the note is kept).
        require(shortened.text.unicodeScalars.count <= limit || (noteAt == 0 && kept.isEmpty),
                "the shortened text fits the limit \(limit)")
    }

    /// The planner's payload: posted iff referenced, revert handling, the JSON line round-trips.
    private func checkPlanner(_ result: ParseResult) {
        let planner = CommitPlanner(
            options: PlanningOptions(messageLimit: 200),
            urlBuilder: CommitURLBuilder(template: nil, remoteURL: "git@github.com:acme/app.git"))
        let probe = CommitSnapshot(sha: Harness.sha, message: message, authorName: "", authorEmail: "", parentCount: 1)
        // The subject stands in for an author name with arbitrary text.
        let author = probe.subject
        let commit = CommitSnapshot(sha: Harness.sha, message: message, authorName: author, authorEmail: "a@example.com", parentCount: 1)
        let needsMessage = planner.needsMessage(parentCount: 1, message: raw)
        switch planner.plan(commit) {
        case .skip(let sha, let reason, let warnings):
            require(sha == Harness.sha && reason == .untagged && result.isEmpty, "only an untagged commit is skipped")
            require(warnings == result.warnings, "a skipped commit carries the parse warnings")
        case .post(let planned):
            require(!result.isEmpty && needsMessage, "a posted commit has references and passed the pre-check")
            let revert = commit.isRevert && result.references.contains { $0.action != .mention }
            require(planned.revertRewritten == revert, "the revert rewrite happens exactly for reverts that move a story")
            let expected = revert ? result.references.map { StoryReference(story: $0.story, action: .mention) } : result.references
            require(planned.references == expected, "planned references: \(planned.references) vs \(expected)")
            require(Harness.parser.parse(planned.payload.message).references == planned.references,
                    "the posted message parses to the planned references")
            require(planned.warnings == result.warnings, "planned warnings are the original message's")
            require(planned.payload.url == "https://github.com/acme/app/commit/\(Harness.sha)", "the commit URL")
            let line = planned.dryRunJSON.serialized()
            checkJSONText(line)
            guard let decoded = try? JSONDecoder().decode(DecodedDryRun.self, from: Data(line.utf8)) else {
                require(false, "the dry-run JSON line decodes: \(line.debugDescription)")
                return
            }
            require(decoded.commit == Harness.sha && decoded.payload.source_commit.commit_id == Harness.sha, "JSON commit id")
            require(decoded.references.map(\.story) == planned.references.map(\.story), "JSON references")
            require(Array(decoded.payload.source_commit.message.utf8) == Array(planned.payload.message.utf8),
                    "the JSON message reads back byte for byte")
            require(Array(decoded.payload.source_commit.author.utf8) == Array(author.utf8), "the JSON author reads back")
            require(decoded.payload.source_commit.url == planned.payload.url, "the JSON url reads back")
        }
        if !needsMessage {
            require(result.isEmpty, "a message the pre-check rules out has no references")
        }
        let merge = CommitSnapshot(sha: Harness.sha, message: message, authorName: author, authorEmail: "", parentCount: 2)
        if case .skip(_, .merge, _) = planner.plan(merge) {} else {
            require(false, "a merge is skipped by default")
        }
    }

    /// The first line as a remote URL and as a `{sha}` template.
    private func checkCommitURL() {
        let firstLine = String(decoding: bytes.prefix { $0 != asciiNewline }.prefix(512), as: UTF8.self)
        if let template = CommitURLBuilder.derivedTemplate(fromRemote: firstLine) {
            require(template.contains("{sha}"), "a derived template has {sha}: \(template.debugDescription)")
            let utf8 = Array(template.utf8)
            let scheme: Int
            if utf8.starts(with: Array("https://".utf8)) {
                scheme = 8
            } else if utf8.starts(with: Array("http://".utf8)) {
                scheme = 7
            } else {
                require(false, "a derived template is a web URL: \(template.debugDescription)")
                return
            }
            let authority = utf8[scheme...].prefix { $0 != UInt8(ascii: "/") }
            require(!authority.contains(UInt8(ascii: "@")), "a derived template keeps no credentials: \(template.debugDescription)")
        }
        // As a configured template: every `{sha}` becomes the id, nothing else changes.
        let builder = CommitURLBuilder(template: firstLine, remoteURL: nil)
        guard let url = builder.url(for: Harness.sha) else {
            require(firstLine.isEmpty, "a non-empty template always gives a URL")
            return
        }
        let placeholder = Array("{sha}".utf8)
        var expected: [UInt8] = []
        var index = 0
        let source = Array(firstLine.utf8)
        while index < source.count {
            if index + placeholder.count <= source.count, source[index..<(index + placeholder.count)].elementsEqual(placeholder) {
                expected.append(contentsOf: Harness.sha.utf8)
                index += placeholder.count
            } else {
                expected.append(source[index])
                index += 1
            }
        }
        require(Array(url.utf8) == expected, "the template's {sha} is replaced: \(url.debugDescription)")
    }
}
