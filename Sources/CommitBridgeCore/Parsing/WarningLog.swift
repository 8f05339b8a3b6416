/// Collects warnings with the message offset they are about, and hands them back in message
/// order without exact duplicates.
struct WarningLog {
    private var entries: [(position: Int, text: String)] = []

    /// Records `text` as a warning about the message text starting at byte `position`.
    mutating func add(_ text: String, at position: Int) {
        entries.append((position, text))
    }

    /// The warnings in message order (ties keep the order they were added), each text once.
    func lines() -> [String] {
        if entries.isEmpty { return [] }
        var ordered = entries
        if !zip(entries, entries.dropFirst()).allSatisfy({ $0.position <= $1.position }) {
            ordered = entries.enumerated()
                .sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
                .map(\.element)
        }
        var seen = Set<String>()
        var lines: [String] = []
        for entry in ordered where seen.insert(entry.text).inserted {
            lines.append(entry.text)
        }
        return lines
    }
}
