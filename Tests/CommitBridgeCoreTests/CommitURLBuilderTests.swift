import CommitBridgeCore
import XCTest

final class CommitURLBuilderTests: XCTestCase {
    private let sha = "0123456789abcdef0123456789abcdef01234567"

    func testTemplateWinsOverRemote() {
        let builder = CommitURLBuilder(template: "https://git.example.org/c/{sha}?full={sha}", remoteURL: "git@github.com:o/r.git")
        XCTAssertEqual(builder.url(for: sha), "https://git.example.org/c/\(sha)?full=\(sha)")
    }

    func testDerivedFromCommonForges() {
        let cases: [(String, String?)] = [
            ("git@github.com:acme/widgets.git", "https://github.com/acme/widgets/commit/"),
            ("https://github.com/acme/widgets", "https://github.com/acme/widgets/commit/"),
            ("https://x-access-token:s3cr3t@github.com/acme/widgets.git", "https://github.com/acme/widgets/commit/"),
            ("ssh://git@github.example.com:2222/acme/widgets.git", "https://github.example.com/acme/widgets/commit/"),
            ("git@gitlab.com:group/sub/proj.git", "https://gitlab.com/group/sub/proj/-/commit/"),
            ("https://gitlab.internal:8443/team/proj.git", "https://gitlab.internal:8443/team/proj/-/commit/"),
            ("git@bitbucket.org:team/repo.git", "https://bitbucket.org/team/repo/commits/"),
            ("https://codeberg.org/forge/thing.git", "https://codeberg.org/forge/thing/commit/"),
            ("git@gitea.example.net:me/tool.git", "https://gitea.example.net/me/tool/commit/"),
            ("https://forgejo.example.net/me/tool", "https://forgejo.example.net/me/tool/commit/"),
            ("https://acme@dev.azure.com/acme/Proj/_git/repo", "https://dev.azure.com/acme/Proj/_git/repo/commit/"),
            ("git@ssh.dev.azure.com:v3/acme/Proj/repo", "https://dev.azure.com/acme/Proj/_git/repo/commit/"),
            ("https://acme.visualstudio.com/Proj/_git/repo", "https://acme.visualstudio.com/Proj/_git/repo/commit/"),
            ("/srv/git/repo.git", nil),
            ("file:///srv/git/repo.git", nil),
            ("git@unknown-host.example:team/repo.git", nil),
            ("", nil),
        ]
        for (remote, prefix) in cases {
            let url = CommitURLBuilder(template: nil, remoteURL: remote).url(for: sha)
            XCTAssertEqual(url, prefix.map { $0 + sha }, "remote \(remote)")
        }
    }

    func testCredentialsNeverReachTheURL() {
        let url = CommitURLBuilder(template: nil, remoteURL: "https://bot:hunter2@gitlab.com/a/b.git").url(for: sha)
        XCTAssertNotNil(url)
        XCTAssertFalse(url!.contains("hunter2"))
        XCTAssertFalse(url!.contains("bot@"))
    }

    func testNoTemplateNoRemoteMeansNoURL() {
        XCTAssertNil(CommitURLBuilder(template: nil, remoteURL: nil).url(for: sha))
        XCTAssertNil(CommitURLBuilder(template: "", remoteURL: nil).url(for: sha))
    }
}
