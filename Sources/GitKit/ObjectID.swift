import Clibgit2

/// Formatting helpers for `git_oid`.
enum ObjectID {
    /// Length of a SHA-1 object id in hexadecimal.
    static let hexLength = 40

    /// The 40-character lowercase hexadecimal form of an object id.
    static func hex(_ id: git_oid) -> String {
        var id = id
        // git_oid_fmt writes exactly 40 hex digits and no terminating NUL.
        var digits = [UInt8](repeating: 0, count: hexLength)
        digits.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                _ = git_oid_fmt(characters.baseAddress, &id)
            }
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
