/// Reads one `[` … `]` span: its story references, its action and its warnings.
struct SpanAnalyzer {
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

        var upcoming = nextToken(&cursor, end: contentEnd)
        while let token = upcoming {
            upcoming = nextToken(&cursor, end: contentEnd)
            switch TokenClassifier.classify(bytes, token) {
            case .reference(let story, let hash):
                stories.append(story)
                if let word = gluedWord(before: hash, in: token) {
                    findings.append(
                        .gluedWord(token: token, word: word, hash: hash, verb: VerbTable.match(bytes, in: word)))
                }
            case .brokenReference(let digits, let flaw):
                findings.append(.brokenReference(token: token, digits: digits, flaw: flaw))
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
                findings.append(.unknownWord(word))
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
            case .unknownWord, .gluedWord:
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
        case .gluedWord(let token, let word, let hash, let verb):
            let tokenText = Quote.text(bytes, token)
            let reference = Quote.text(bytes, hash..<token.upperBound)
            let text: String
            switch verb {
            case .exact:
                var rewritten = Array(bytes[span.lowerBound..<word.upperBound])
                rewritten.append(ByteClass.space)
                rewritten.append(contentsOf: bytes[hash..<span.upperBound])
                text = WarningText.gluedVerb(tokenText, group: group, rewritten: Quote.text(rewritten))
            case .near(let suggestion):
                text = WarningText.gluedNearVerb(
                    tokenText, group: group, word: Quote.text(bytes, word), suggestion: suggestion, reference: reference)
            case nil:
                text = WarningText.gluedWord(Quote.text(bytes, word), group: group, reference: reference)
            }
            log.add(text, at: token.lowerBound)
        }
    }
}
