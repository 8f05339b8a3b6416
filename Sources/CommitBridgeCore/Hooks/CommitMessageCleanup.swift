/// What git strips from a message file before committing (its default `strip` cleanup):
/// comment lines starting with `#`, and everything below the scissors line of `commit -v`.
public enum CommitMessageCleanup {
    public static func strip(_ text: String) -> String {
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# ") && line.contains(">8") { break }
            if line.hasPrefix("#") { continue }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }
}
