import Glibc

/// Decodes the raw bytes of a commit (message, author) into a Swift string,
/// following the commit's `encoding` header the way `git log` would.
struct TextDecoder {
    /// The encoding named by the commit, nil when it has none (meaning UTF-8).
    let encodingName: String?

    /// Whether the bytes are declared to be UTF-8 (explicitly or by omission).
    var isUTF8: Bool {
        guard let encodingName else { return true }
        let normalised = encodingName.lowercased()
        return normalised == "utf-8" || normalised == "utf8"
    }

    /// Decodes a NUL-terminated C string; a nil pointer gives "".
    func decode(cString: UnsafePointer<CChar>?) -> String {
        guard let cString else { return "" }
        return decode(UnsafeRawBufferPointer(start: cString, count: strlen(cString)))
    }

    /// Converts `bytes` from the declared encoding. UTF-8 input, an encoding glibc does not
    /// know, and bytes that are invalid in the declared encoding all fall back to lossy UTF-8
    /// decoding, where every invalid byte becomes U+FFFD.
    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        if !isUTF8, let encodingName,
           let converter = IconvConverter(fromEncoding: encodingName),
           let converted = converter.convert(bytes) {
            return String(decoding: converted, as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
