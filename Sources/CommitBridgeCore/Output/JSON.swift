// JSON output: an order-keeping JSON value with its compact writer, and the shapes of story
// references shared by `parse --json` and the dry-run lines.

/// A JSON value whose object keys keep the order they were given in, so output is byte-for-byte stable.
public indirect enum JSONValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(serialized())
    }

    /// Compact JSON text (no spaces, `/` not escaped, non-ASCII kept as UTF-8).
    public func serialized() -> String {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the compact JSON text to `out`.
    public func write(into out: inout String) {
        out += serialized()
    }

    /// Appends the compact JSON text to `bytes`, as UTF-8.
    public func write(into bytes: inout [UInt8]) {
        switch self {
        case .string(let text):
            JSONValue.writeString(text, into: &bytes)
        case .integer(let number):
            bytes.append(contentsOf: String(number).utf8)
        case .bool(let flag):
            bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                item.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.0, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.1.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string in one pass over its UTF-8: runs of bytes that need no
    /// escaping are copied whole, the others are escaped.
    private static func writeString(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            bytes.reserveCapacity(bytes.count + utf8.count + 2)
            var runStart = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                // 0xE2 starts U+2028 and U+2029, which are escaped too (some JSON readers treat them as line ends).
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2 else {
                    index += 1
                    continue
                }
                var escapedLength = 1
                var escape: [UInt8]
                switch byte {
                case UInt8(ascii: "\""): escape = [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): escape = [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\n"): escape = [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): escape = [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case UInt8(ascii: "\t"): escape = [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80
                    && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                    escape = []
                    appendUnicodeEscape(utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &escape)
                    escapedLength = 3
                case 0xE2:
                    index += 1
                    continue
                default:
                    escape = []
                    appendUnicodeEscape(UInt32(byte), to: &escape)
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                bytes.append(contentsOf: escape)
                index += escapedLength
                runStart = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendUnicodeEscape(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}

/// JSON shapes shared by `parse --json` and the dry-run lines.
public enum ReferenceJSON {
    /// `[{"story":555,"action":"finish"}, …]`
    public static func array(_ references: [StoryReference]) -> JSONValue {
        .array(references.map { .object([("story", .integer($0.story)), ("action", .string($0.action.rawValue))]) })
    }

    /// The `parse --json` object: `{"references":[…],"warnings":[…]}`.
    public static func parseOutput(_ result: ParseResult) -> JSONValue {
        .object([
            ("references", array(result.references)),
            ("warnings", .array(result.warnings.map { .string($0) })),
        ])
    }
}
