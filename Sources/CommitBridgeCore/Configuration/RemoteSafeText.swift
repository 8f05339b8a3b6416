/// Makes URLs safe to show: drops any `user:secret@` part.
public enum RemoteSafeText {
    /// `https://user:secret@host/x` → `https://host/x`; other text unchanged.
    public static func redactingCredentials(_ url: String) -> String {
        guard let schemeEnd = url[...].range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// The secret part of a URL's user information: the password of `user:secret@`, or the whole
    /// of `secret@` (a token used as the user name); nil when the URL has none.
    public static func credential(in url: String) -> String? {
        guard let schemeEnd = url[...].range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return nil }
        let userInformation = rest[..<at]
        let secret = userInformation.firstIndex(of: ":").map { userInformation[userInformation.index(after: $0)...] }
            ?? userInformation
        return secret.isEmpty ? nil : String(secret)
    }
}
