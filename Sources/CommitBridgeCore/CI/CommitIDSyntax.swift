/// What a full commit id looks like: 40 (SHA-1) or 64 (SHA-256) hexadecimal digits, either case.
enum CommitIDSyntax {
    /// True for a full commit id, the all-zero one included.
    static func isCommitID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 40 || bytes.count == 64 else { return false }
        return bytes.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
    }

    /// True for the all-zero id CI services use for "no commit" (a new or deleted branch).
    static func isNull(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (bytes.count == 40 || bytes.count == 64) && bytes.allSatisfy { $0 == 0x30 }
    }
}
