/// A SHA-1 object id: 20 bytes, kept as five 32-bit words so that a list of ids takes 20 bytes an id
/// (the walk keeps one per commit), laid out byte for byte as git stores it.
public struct ObjectID: Hashable, Sendable {
    private var words: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0)

    /// Length of an id in bytes.
    public static let byteCount = 20
    /// Length of an id in hexadecimal digits.
    public static let hexLength = 40

    /// The id whose bytes are the first 20 of `bytes`.
    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= Self.byteCount, "an object id has 20 bytes")
        Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<Self.byteCount])) }
    }

    /// The id written as 40 hexadecimal digits (either case); nil for anything else.
    public init?(hex: String) {
        var text = hex
        let parsed: ObjectID? = text.withUTF8 { bytes in
            guard bytes.count == Self.hexLength else { return nil }
            var id = ObjectID()
            return Self.parse(hexDigits: bytes, into: &id) == nil ? id : nil
        }
        guard let parsed else { return nil }
        self = parsed
    }

    private init() {}

    /// All zeros, to be parsed into.
    static var zero: ObjectID { ObjectID() }

    /// Parses the hexadecimal digits `digits` into `id` the way libgit2's `git_oid_fromstrn` does: fewer
    /// than 40 digits leave the rest zero. nil when that worked, else libgit2's words for the problem.
    static func parse(hexDigits digits: UnsafeBufferPointer<UInt8>, into id: inout ObjectID) -> String? {
        guard !digits.isEmpty else { return "unable to parse OID - too short" }
        guard digits.count <= hexLength else { return "unable to parse OID - too long" }
        var parsed = ObjectID()
        let failed = Swift.withUnsafeMutableBytes(of: &parsed.words) { target -> Bool in
            for (position, digit) in digits.enumerated() {
                let value: UInt8
                switch digit {
                case 0x30...0x39: value = digit - 0x30
                case 0x61...0x66: value = digit - 0x61 + 10
                case 0x41...0x46: value = digit - 0x41 + 10
                default: return true
                }
                target[position / 2] |= position % 2 == 0 ? value << 4 : value
            }
            return false
        }
        if failed { return "unable to parse OID - contains invalid characters" }
        id = parsed
        return nil
    }

    /// The parent id at `range` of a commit's raw `bytes`; nil when it is malformed (see `parse`).
    static func parse(_ range: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>, into id: inout ObjectID) -> String? {
        parse(hexDigits: UnsafeBufferPointer(rebasing: bytes[range]), into: &id)
    }

    /// The 40 lowercase hexadecimal digits.
    public var hex: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: Self.hexLength) { text in
                for (index, byte) in bytes.enumerated() {
                    text[2 * index] = digits.utf8Start[Int(byte >> 4)]
                    text[2 * index + 1] = digits.utf8Start[Int(byte & 0x0f)]
                }
                return Self.hexLength
            }
        }
    }

    /// Calls `body` with the id's 20 bytes.
    public func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var words = words
        return try Swift.withUnsafeBytes(of: &words, body)
    }

    /// The first eight bytes: ids are hashes already, so these place an id in a hash table.
    var leadingBits: Int {
        Int(truncatingIfNeeded: UInt64(words.1) << 32 | UInt64(words.0))
    }

    public static func == (left: ObjectID, right: ObjectID) -> Bool {
        left.words.0 == right.words.0 && left.words.1 == right.words.1 && left.words.2 == right.words.2
            && left.words.3 == right.words.3 && left.words.4 == right.words.4
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
        hasher.combine(words.4)
    }
}
