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
        var out = ""
        write(into: &out)
        return out
    }

    /// Appends the compact JSON text to `out`.
    public func write(into out: inout String) {
        switch self {
        case .string(let text):
            JSONValue.writeString(text, into: &out)
        case .integer(let number):
            out += String(number)
        case .bool(let flag):
            out += flag ? "true" : "false"
        case .null:
            out += "null"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeString(member.0, into: &out)
                out += ":"
                member.1.write(into: &out)
            }
            out += "}"
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string. Most strings need no escaping and are appended whole; the
    /// others are escaped byte by byte over their UTF-8 (one pass, no per-character String appends).
    private static func writeString(_ text: String, into out: inout String) {
        out += "\""
        // 0xE2 starts U+2028 and U+2029, which are escaped too (some JSON readers treat them as line ends).
        let needsEscaping = text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }
        if !needsEscaping {
            out += text
        } else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count + 16)
            let utf8 = Array(text.utf8)
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                switch byte {
                case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0..<0x20:
                    appendUnicodeEscape(UInt32(byte), to: &bytes)
                case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80
                    && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                    appendUnicodeEscape(utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &bytes)
                    index += 2
                default:
                    bytes.append(byte)
                }
                index += 1
            }
            out += String(decoding: bytes, as: UTF8.self)
        }
        out += "\""
    }

    private static func appendUnicodeEscape(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}
