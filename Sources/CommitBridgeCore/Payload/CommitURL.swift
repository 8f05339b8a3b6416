// The commit's web address: a configured `{sha}` template, or one derived from the `origin`
// remote of a known forge, with the small string helpers that needs (no Foundation).

/// Builds the `url` of a source commit: from a `{sha}` template when one is configured,
/// else derived from the `origin` remote for the common forges, else none.
public struct CommitURLBuilder: Sendable, Hashable {
    /// The template in effect, with `{sha}` where the commit id goes.
    public let template: String?

    /// - Parameters:
    ///   - template: `commitbridge.commitUrl` or its flag/environment override.
    ///   - remoteURL: the `origin` remote's URL, used when there is no template.
    public init(template: String?, remoteURL: String?) {
        if let template, !template.isEmpty {
            self.template = template
        } else if let remoteURL {
            self.template = CommitURLBuilder.derivedTemplate(fromRemote: remoteURL)
        } else {
            self.template = nil
        }
    }

    /// The URL for one commit, or nil when no template could be had.
    public func url(for sha: String) -> String? {
        guard let template else { return nil }
        return template.replacingAll("{sha}", with: sha)
    }

    /// The web template for a remote URL of a known forge, or nil.
    ///
    /// Understands `https://[user[:secret]@]host[:port]/path`, `ssh://[user@]host[:port]/path`,
    /// `git://host/path` and scp-like `user@host:path`. Credentials in the remote are never kept.
    public static func derivedTemplate(fromRemote remote: String) -> String? {
        guard let location = RemoteLocation(parsing: remote) else { return nil }
        let host = location.host.lowercased()
        var path = location.path
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix(".git") { path.removeLast(4) }
        guard !path.isEmpty else { return nil }
        let webRoot = location.webScheme + "://" + location.webAuthority

        if host == "ssh.dev.azure.com" || host.hasSuffix(".ssh.dev.azure.com") {
            // git@ssh.dev.azure.com:v3/org/project/repo
            let parts = path.split(separator: "/").map(String.init)
            guard parts.count == 4, parts[0] == "v3" else { return nil }
            return "https://dev.azure.com/\(parts[1])/\(parts[2])/_git/\(parts[3])/commit/{sha}"
        }
        if host == "dev.azure.com" || host.hasSuffix(".visualstudio.com") {
            guard path.contains("/_git/") else { return nil }
            return "\(webRoot)/\(path)/commit/{sha}"
        }
        if host.contains("gitlab") {
            return "\(webRoot)/\(path)/-/commit/{sha}"
        }
        if host == "bitbucket.org" {
            return "\(webRoot)/\(path)/commits/{sha}"
        }
        if host.contains("github") || host == "codeberg.org" || host.contains("gitea") || host.contains("forgejo") {
            return "\(webRoot)/\(path)/commit/{sha}"
        }
        return nil
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation needed).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let found = rest.range(of: target) {
            result += rest[..<found.lowerBound]
            result += replacement
            rest = rest[found.upperBound...]
        }
        result += rest
        return result
    }
}

extension Substring {
    /// The first range of `needle`, found by comparing Unicode scalars.
    func range(of needle: String) -> Range<Index>? {
        let needleScalars = Array(needle.unicodeScalars)
        guard let first = needleScalars.first else { return nil }
        var index = startIndex
        while index < endIndex {
            if unicodeScalars[index] == first {
                var probe = index
                var matched = 0
                while matched < needleScalars.count, probe < endIndex, unicodeScalars[probe] == needleScalars[matched] {
                    probe = unicodeScalars.index(after: probe)
                    matched += 1
                }
                if matched == needleScalars.count { return index..<probe }
            }
            index = unicodeScalars.index(after: index)
        }
        return nil
    }
}

/// The host and path of a git remote URL, with any credentials dropped.
private struct RemoteLocation: Sendable, Hashable {
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
