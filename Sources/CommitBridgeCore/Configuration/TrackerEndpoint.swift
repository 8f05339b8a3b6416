/// The Tracker API base URL, checked: http(s) only, and plain http only towards loopback
/// unless insecure HTTP is explicitly allowed.
public struct TrackerEndpoint: Sendable, Hashable {
    /// The base URL without a trailing slash, e.g. `https://www.pivotaltracker.com/services/v5`.
    public let baseURL: String
    public let isLoopback: Bool
    public let usesTLS: Bool
    /// The base URL as the state directory knows it: scheme and host in lower case, the scheme's
    /// default port and any `user:password@` left out. Two spellings of one tracker share a ledger,
    /// queue and story cache; two trackers never do.
    public let identity: String

    /// Why a URL was refused.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case notHTTP(String)
        case noHost(String)
        case insecure(String)
        case badPort(String)

        public var description: String {
            switch self {
            case .notHTTP(let url): return "tracker URL '\(url)' must start with https:// (or http:// for a server on this machine)"
            case .noHost(let url): return "tracker URL '\(url)' has no host"
            case .insecure(let url): return "refusing plain http to '\(url)': it is not on loopback; use https:// or pass --allow-insecure-http"
            case .badPort(let url): return "tracker URL '\(url)' has a port that is not a number from 1 to 65535"
            }
        }
    }

    public init(validating raw: String, allowInsecureHTTP: Bool) throws(Problem) {
        var text = raw.trimmingWhitespace()
        while text.hasSuffix("/") { text.removeLast() }
        let lower = text.lowercased()
        let schemeLength: Int
        if lower.hasPrefix("https://") {
            usesTLS = true
            schemeLength = 8
        } else if lower.hasPrefix("http://") {
            usesTLS = false
            schemeLength = 7
        } else {
            throw .notHTTP(RemoteSafeText.redactingCredentials(text))
        }
        let afterScheme = text.dropFirst(schemeLength)
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        let host = TrackerEndpoint.host(ofAuthority: hostPort)
        guard !host.isEmpty else { throw .noHost(RemoteSafeText.redactingCredentials(text)) }
        guard TrackerEndpoint.hasValidPort(authority: hostPort) else { throw .badPort(RemoteSafeText.redactingCredentials(text)) }
        isLoopback = TrackerEndpoint.isLoopbackHost(host)
        if !usesTLS && !isLoopback && !allowInsecureHTTP {
            throw .insecure(RemoteSafeText.redactingCredentials(text))
        }
        baseURL = text
        identity = TrackerEndpoint.identity(scheme: usesTLS ? "https" : "http", hostPort: hostPort,
                                            host: host, rest: afterScheme.dropFirst(authority.count))
    }

    /// A short name for files that belong to this tracker alone: 16 hex digits of the FNV-1a hash
    /// of `identity` (not a secret: the identity holds no password).
    public var storageKey: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identity.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func identity(scheme: String, hostPort: String, host: String, rest: Substring) -> String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let afterHost = hostPort.hasPrefix("[") ? hostPort.drop { $0 != "]" }.dropFirst() : hostPort.drop { $0 != ":" }
        var port = afterHost.hasPrefix(":") ? String(afterHost.dropFirst()) : ""
        if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") { port = "" }
        return scheme + "://" + bracketed + (port.isEmpty ? "" : ":" + port) + rest
    }

    static func host(ofAuthority authority: String) -> String {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return "" }
            return String(authority[authority.index(after: authority.startIndex)..<close]).lowercased()
        }
        return String(authority.prefix { $0 != ":" }).lowercased()
    }

    /// Whether the port after the host, if any, is 1 to 65535 in decimal digits (an empty one means
    /// the scheme's default). The HTTP library stops the process on a port it cannot represent.
    static func hasValidPort(authority: String) -> Bool {
        var rest = Substring(authority)
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            rest = rest[rest.index(after: close)...]
        } else if let colon = rest.firstIndex(of: ":") {
            rest = rest[colon...]
        } else {
            return true
        }
        if rest.isEmpty || rest == ":" { return true }
        guard rest.hasPrefix(":") else { return false }
        let digits = rest.dropFirst()
        guard digits.count <= 5, digits.allSatisfy(\.isASCIIDigit), let port = Int(digits) else { return false }
        return (1...65_535).contains(port)
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8 and ::1.
    public static func isLoopbackHost(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) && Int($0)! <= 255 }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
