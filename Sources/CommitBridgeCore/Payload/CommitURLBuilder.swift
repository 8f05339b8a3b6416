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
    func replacingAll(_ target: String, with replacement: String) -> String {
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
