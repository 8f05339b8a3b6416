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
