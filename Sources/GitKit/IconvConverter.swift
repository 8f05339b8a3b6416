import Glibc

/// Owns a glibc `iconv_t` converting from some encoding to UTF-8, and closes it when done.
final class IconvConverter {
    private let descriptor: iconv_t

    /// Opens a converter from `encoding` to UTF-8; nil when glibc does not know the encoding.
    init?(fromEncoding encoding: String) {
        let opened = iconv_open("UTF-8", encoding)
        // iconv_open signals failure with (iconv_t)-1.
        guard let opened, Int(bitPattern: opened) != -1 else { return nil }
        descriptor = opened
    }

    deinit {
        iconv_close(descriptor)
    }

    /// Converts `input` to UTF-8 bytes; nil when the input is not valid in the source
    /// encoding (EILSEQ), ends in the middle of a character (EINVAL), or iconv fails otherwise.
    func convert(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let inputStart = input.baseAddress, !input.isEmpty else { return [] }
        var inputCursor: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(
            mutating: inputStart.assumingMemoryBound(to: CChar.self))
        var inputLeft = input.count
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0

        // First convert the text, then let stateful encodings emit their closing shift sequence
        // (iconv with a nil input). Either step may need a larger output buffer.
        for flushing in [false, true] {
            while true {
                var failure: Int32 = 0
                output.withUnsafeMutableBytes { buffer in
                    var outputCursor: UnsafeMutablePointer<CChar>? =
                        (buffer.baseAddress! + produced).assumingMemoryBound(to: CChar.self)
                    var outputLeft = buffer.count - produced
                    let result = flushing
                        ? iconv(descriptor, nil, nil, &outputCursor, &outputLeft)
                        : iconv(descriptor, &inputCursor, &inputLeft, &outputCursor, &outputLeft)
                    produced = buffer.count - outputLeft
                    if result == -1 { failure = errno }
                }
                if failure == 0 { break }
                guard failure == E2BIG else { return nil }
                output.append(contentsOf: repeatElement(0, count: output.count))
            }
        }
        return Array(output[..<produced])
    }
}
