/// Keeps a revert from moving stories forward: every tag group is rewritten to its bare
/// references (`[Finishes #1]` → `[#1]`, `[delivers #1, #2]` → `[#1, #2]`).
public struct RevertRewriter: Sendable {
    public init() {}

    /// The message with each tag group reduced to its references, in order, each story once.
    public func rewrite(_ message: String, groups: [TagGroup]) -> String {
        guard !groups.isEmpty else { return message }
        let bytes = Array(message.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        for group in groups.sorted(by: { $0.utf8Range.lowerBound < $1.utf8Range.lowerBound }) {
            guard group.utf8Range.lowerBound >= position else { continue }
            out.append(contentsOf: bytes[position..<group.utf8Range.lowerBound])
            var seen = Set<Int64>()
            let stories = group.stories.filter { seen.insert($0).inserted }
            out.append(contentsOf: Array(("[" + stories.map { "#\($0)" }.joined(separator: ", ") + "]").utf8))
            position = group.utf8Range.upperBound
        }
        out.append(contentsOf: bytes[position...])
        return String(decoding: out, as: UTF8.self)
    }
}
