// Finding tags in a message: the one pass over its bytes, the reading of each `[` … `]` span
// (references, action, findings), the story list it builds, and the look for tag-like text
// outside every span.

/// One pass over a message's UTF-8 bytes that finds its `[` … `]` spans,
/// reads each, and then looks for tag-like text outside them.
enum MessageScanner {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> ParseResult {
        var references = ReferenceList()
        var log = WarningLog()
        var groups: [TagGroup] = []
        var spans: [Range<Int>] = []
        var open = -1
        // `#` bytes seen in all, and inside closed spans: outside text needs a look only if they differ.
        var hashes = 0
        var hashesSinceOpen = 0
        var hashesInSpans = 0
        for index in 0..<bytes.count {
            switch bytes[index] {
            case ByteClass.newline:
                open = -1
            case ByteClass.openBracket:
                open = index
                hashesSinceOpen = 0
            case ByteClass.closeBracket where open >= 0:
                let span = open..<(index + 1)
                spans.append(span)
                hashesInSpans += hashesSinceOpen
                if let group = SpanAnalyzer(bytes: bytes, span: span).analyze(log: &log) {
                    groups.append(group)
                    for story in group.stories { references.add(story, action: group.action) }
                }
                open = -1
            case ByteClass.hash:
                hashes += 1
                hashesSinceOpen += 1
            default:
                break
            }
        }
        if hashes > hashesInSpans {
            OutsideTagDetector(bytes: bytes, spans: spans).scan(log: &log)
        }
        return ParseResult(references: references.references, warnings: log.lines(), groups: groups)
    }
}

/// The stories of a message in order of first appearance, each with its strongest action.
private struct ReferenceList {
    private(set) var references: [StoryReference] = []
    /// Index of each story in `references`, built only once the list outgrows a linear search.
    private var indexByStory: [Int64: Int] = [:]
    private static let linearSearchLimit = 16

    /// Adds one reference, or strengthens the action of a story already listed.
    mutating func add(_ story: Int64, action: StoryAction) {
        if let index = index(of: story) {
            if action > references[index].action {
                references[index] = StoryReference(story: story, action: action)
            }
            return
        }
        references.append(StoryReference(story: story, action: action))
        if references.count > Self.linearSearchLimit {
            if indexByStory.isEmpty {
                for (index, reference) in references.enumerated() { indexByStory[reference.story] = index }
            } else {
                indexByStory[story] = references.count - 1
            }
        }
    }

    private func index(of story: Int64) -> Int? {
        if references.count > Self.linearSearchLimit { return indexByStory[story] }
        return references.firstIndex { $0.story == story }
    }
}

/// Reads one `[` … `]` span: its story references, its action and its warnings.
private struct SpanAnalyzer {
    let bytes: UnsafeBufferPointer<UInt8>
    /// From the `[` up to and including the `]`.
    let span: Range<Int>

    /// The tag group this span forms, or nil when it holds no story reference. Warnings go to
    /// `log`: every finding for a tag group, only near-miss findings for a span without references.
    func analyze(log: inout WarningLog) -> TagGroup? {
        let contentEnd = span.upperBound - 1
        var cursor = span.lowerBound + 1
        var stories: [Int64] = []
        var findings: [SpanFinding] = []
        var hasFinish = false
        var hasDeliver = false
        var hasNearVerb = false
        /// Counts the verbs glued to `#` in `token` and notes them; false when it holds none. `hash`
        /// is the `#` of the token's story reference, when it is one.
        func foundGluedVerbs(in token: Range<Int>, reference hash: Int?) -> Bool {
            let verbs = GluedVerb.find(bytes, in: token)
            guard !verbs.isEmpty else { return false }
            for verb in verbs {
                if verb.family == .deliver { hasDeliver = true } else { hasFinish = true }
            }
            let touchesStory = verbs.contains { $0.piece.upperBound == hash }
            findings.append(.gluedVerb(token: token, verbs: verbs, touchesStory: touchesStory))
            return true
        }

        var upcoming = nextToken(&cursor, end: contentEnd)
        while let token = upcoming {
            upcoming = nextToken(&cursor, end: contentEnd)
            switch TokenClassifier.classify(bytes, token) {
            case .reference(let story, let hash):
                stories.append(story)
                if let word = gluedWord(before: hash, in: token), !foundGluedVerbs(in: token, reference: hash) {
                    findings.append(.gluedWord(
                        token: token, word: word, hash: hash, suggestion: VerbTable.suggestion(for: bytes, in: word)))
                }
            case .brokenReference(let digits, let flaw):
                findings.append(.brokenReference(token: token, digits: digits, flaw: flaw))
                _ = foundGluedVerbs(in: token, reference: nil)
            case .verb(.finish):
                hasFinish = true
            case .verb(.deliver):
                hasDeliver = true
            case .nearVerb(let word, let suggestion):
                hasNearVerb = true
                findings.append(.misspelledVerb(word, suggestion: suggestion))
            case .number(let digits):
                findings.append(.bareNumber(digits))
            case .hashes:
                if let next = upcoming, case .number(let digits) = TokenClassifier.classify(bytes, next) {
                    findings.append(.detachedHash(hash: token.lowerBound, number: digits))
                    upcoming = nextToken(&cursor, end: contentEnd)
                } else {
                    findings.append(.unknownWord(token))
                }
            case .word(let word):
                if !(bytes[token].contains(ByteClass.hash) && foundGluedVerbs(in: token, reference: nil)) {
                    findings.append(.unknownWord(word))
                }
            case .filler:
                break
            }
        }

        guard !stories.isEmpty else {
            reportNearMiss(findings, hasVerb: hasFinish || hasDeliver || hasNearVerb, log: &log)
            return nil
        }
        if !findings.isEmpty || (hasFinish && hasDeliver) {
            let group = Quote.text(bytes, span)
            for finding in findings { report(finding, group: group, log: &log) }
            if hasFinish && hasDeliver {
                log.add(WarningText.mixedVerbs(group: group), at: contentEnd)
            }
        }
        let action: StoryAction = hasDeliver ? .deliver : (hasFinish ? .finish : .mention)
        return TagGroup(utf8Range: span, stories: stories, action: action)
    }

    /// The next token at or after `cursor` and before `end`, moving `cursor` past it.
    private func nextToken(_ cursor: inout Int, end: Int) -> Range<Int>? {
        while cursor < end, ByteClass.isSeparator(bytes[cursor]) { cursor += 1 }
        guard cursor < end else { return nil }
        let start = cursor
        while cursor < end, !ByteClass.isSeparator(bytes[cursor]) { cursor += 1 }
        return start..<cursor
    }

    /// The word glued in front of the reference's `#` (trailing `#`, `:` and `.` dropped), or nil
    /// when only punctuation is there (`##9`, `(#9`).
    private func gluedWord(before hash: Int, in token: Range<Int>) -> Range<Int>? {
        var end = hash
        while end > token.lowerBound, bytes[end - 1] == ByteClass.hash || ByteClass.isWordTail(bytes[end - 1]) {
            end -= 1
        }
        let word = token.lowerBound..<end
        return word.contains { ByteClass.isAlphanumeric(bytes[$0]) || bytes[$0] >= 0x80 } ? word : nil
    }

    /// A span without references warns only when it looks like a failed tag: a `#` meant for a
    /// number, or a verb beside a number without `#`.
    private func reportNearMiss(_ findings: [SpanFinding], hasVerb: Bool, log: inout WarningLog) {
        var nearMiss = false
        for finding in findings {
            switch finding {
            case .brokenReference, .detachedHash: nearMiss = true
            case .bareNumber: nearMiss = nearMiss || hasVerb
            default: break
            }
        }
        guard nearMiss else { return }
        let group = Quote.text(bytes, span)
        for finding in findings {
            switch finding {
            case .brokenReference, .detachedHash, .bareNumber, .misspelledVerb:
                report(finding, group: group, log: &log)
            case .unknownWord, .gluedWord, .gluedVerb:
                break
            }
        }
    }

    private func report(_ finding: SpanFinding, group: String, log: inout WarningLog) {
        switch finding {
        case .unknownWord(let word):
            log.add(WarningText.unknownWord(Quote.text(bytes, word), group: group), at: word.lowerBound)
        case .misspelledVerb(let word, let suggestion):
            log.add(
                WarningText.misspelledVerb(Quote.text(bytes, word), group: group, suggestion: suggestion),
                at: word.lowerBound)
        case .bareNumber(let digits):
            log.add(WarningText.bareNumber(Quote.text(bytes, digits), group: group), at: digits.lowerBound)
        case .detachedHash(let hash, let digits):
            log.add(WarningText.detachedHash(group: group, number: Quote.text(bytes, digits)), at: hash)
        case .brokenReference(let token, let digits, let flaw):
            // `#9.` or `#9:` is one step from a reference: say which.
            let hashLeads = digits.lowerBound - 1 == token.lowerBound
            let tailIsPunctuation = (digits.upperBound..<token.upperBound).allSatisfy { ByteClass.isWordTail(bytes[$0]) }
            let fix = flaw == .trailingText && hashLeads && tailIsPunctuation
                ? "#" + Quote.text(bytes, digits) : nil
            log.add(
                WarningText.brokenReference(Quote.text(bytes, token), group: group, flaw: flaw, fix: fix),
                at: token.lowerBound)
        case .gluedWord(let token, let word, let hash, let suggestion):
            let reference = Quote.text(bytes, hash..<token.upperBound)
            let text = if let suggestion {
                WarningText.gluedNearVerb(
                    Quote.text(bytes, token), group: group, word: Quote.text(bytes, word), suggestion: suggestion,
                    reference: reference)
            } else {
                WarningText.gluedWord(Quote.text(bytes, word), group: group, reference: reference)
            }
            log.add(text, at: token.lowerBound)
        case .gluedVerb(let token, let verbs, let touchesStory):
            log.add(
                WarningText.gluedVerb(
                    Quote.text(bytes, token), group: group, toStory: touchesStory,
                    readAs: Quote.text(GluedVerb.unglued(bytes, token, verbs: verbs))),
                at: token.lowerBound)
        }
    }
}

/// Something inside a `[` … `]` span that may deserve a warning. Ranges are byte offsets.
private enum SpanFinding {
    case unknownWord(Range<Int>)
    case misspelledVerb(Range<Int>, suggestion: String)
    case bareNumber(Range<Int>)
    /// A `#` token followed by a number token (`[# 123]`).
    case detachedHash(hash: Int, number: Range<Int>)
    case brokenReference(token: Range<Int>, digits: Range<Int>, flaw: ReferenceFlaw)
    /// A word that is no verb glued to a reference (`PT#9`, `Fixs#9`); `word` is that word, `hash`
    /// the reference's `#`, `suggestion` the verb a misspelled word most likely meant.
    case gluedWord(token: Range<Int>, word: Range<Int>, hash: Int, suggestion: String?)
    /// A token holding a verb glued to a `#` (`Fixes#9`, `Delivers:#4`, `#finishes`): the verbs count.
    /// `touchesStory` when a verb stands right before the `#` of the token's story reference.
    case gluedVerb(token: Range<Int>, verbs: [GluedVerb], touchesStory: Bool)
}

/// Finds tag-like text outside every `[` … `]` span: a verb or near-verb
/// followed by whitespace and `#digits` (`Fixes #123`), and `(#123)`.
private struct OutsideTagDetector {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Every closed `[` … `]` span of the message, in order; their text is not looked at.
    let spans: [Range<Int>]

    func scan(log: inout WarningLog) {
        let count = bytes.count
        var index = 0
        var nextSpan = 0
        while index < count {
            if nextSpan < spans.count, index >= spans[nextSpan].lowerBound {
                index = spans[nextSpan].upperBound
                nextSpan += 1
                continue
            }
            guard bytes[index] == ByteClass.hash, index + 1 < count, ByteClass.isDigit(bytes[index + 1]) else {
                index += 1
                continue
            }
            let hash = index
            let digits = (hash + 1)..<TokenClassifier.digitRunEnd(bytes, from: hash + 1, limit: count)
            index = digits.upperBound
            // `#12abc` is not a story tag, nor is a number that could never be a story id.
            if digits.upperBound < count, ByteClass.isLetter(bytes[digits.upperBound]) { continue }
            guard case .success = TokenClassifier.storyID(bytes, digits) else { continue }
            if hash > 0, bytes[hash - 1] == ByteClass.openParen,
               digits.upperBound < count, bytes[digits.upperBound] == ByteClass.closeParen {
                log.add(
                    WarningText.parenthesized(
                        Quote.text(bytes, (hash - 1)..<(digits.upperBound + 1)),
                        reference: Quote.text(bytes, hash..<digits.upperBound)),
                    at: hash - 1)
                continue
            }
            reportVerb(before: hash, digits: digits, log: &log)
        }
    }

    /// Warns when whitespace and then a verb or near-verb word stand right before `#digits`.
    private func reportVerb(before hash: Int, digits: Range<Int>, log: inout WarningLog) {
        var cursor = hash
        while cursor > 0, ByteClass.isWhitespace(bytes[cursor - 1]) { cursor -= 1 }
        guard cursor < hash else { return }
        var wordEnd = cursor
        while wordEnd > 0, ByteClass.isWordTail(bytes[wordEnd - 1]) { wordEnd -= 1 }
        var wordStart = wordEnd
        while wordStart > 0, ByteClass.isLetter(bytes[wordStart - 1]) { wordStart -= 1 }
        guard wordStart < wordEnd else { return }
        if wordStart > 0 {
            // The letters must be a whole word, not the tail of `x2fix` or of a non-ASCII word.
            let before = bytes[wordStart - 1]
            guard !ByteClass.isDigit(before), before < 0x80, before != 0x5F else { return }
        }
        guard let verb = VerbTable.match(bytes, in: wordStart..<wordEnd) else { return }
        let text = Quote.text(bytes, wordStart..<digits.upperBound)
        let written: String
        switch verb {
        case .exact: written = text
        case .near(let suggestion): written = suggestion + " " + Quote.text(bytes, hash..<digits.upperBound)
        }
        log.add(WarningText.outsideBrackets(text, written: written), at: wordStart)
    }
}
