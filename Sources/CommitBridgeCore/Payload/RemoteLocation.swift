/// The host and path of a git remote URL, with any credentials dropped.
struct RemoteLocation: Sendable, Hashable {
    let host: String
    /// `host` or `host:port` for an http(s) remote; the bare host otherwise.
    let webAuthority: String
    let webScheme: String
    let path: String

    init?(parsing remote: String) {
        let text = remote.trimmingWhitespace()
        if let schemeEnd = text[...].range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            var rest = text[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            rest = rest[authorityEnd...]
            if let at = authority.lastIndex(of: "@") {
                authority = authority[authority.index(after: at)...]
            }
            var host = authority
            if let colon = authority.lastIndex(of: ":"), !authority.hasPrefix("[") {
                host = authority[..<colon]
            }
            guard !host.isEmpty else { return nil }
            switch scheme {
            case "http", "https":
                self.webScheme = scheme
                self.webAuthority = String(authority)
            case "ssh", "git", "git+ssh", "ssh+git":
                self.webScheme = "https"
                self.webAuthority = String(host)
            default:
                return nil
            }
            self.host = String(host)
            self.path = String(rest)
            return
        }
        // scp-like: [user@]host:path (a colon before any slash).
        guard let colon = text.firstIndex(of: ":") else { return nil }
        if let slash = text.firstIndex(of: "/"), slash < colon { return nil }
        var hostPart = text[..<colon]
        if let at = hostPart.lastIndex(of: "@") {
            hostPart = hostPart[hostPart.index(after: at)...]
        }
        guard !hostPart.isEmpty, hostPart.count > 1 else { return nil } // "C:" is a Windows drive
        self.host = String(hostPart)
        self.webAuthority = String(hostPart)
        self.webScheme = "https"
        self.path = String(text[text.index(after: colon)...])
    }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII whitespace.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
