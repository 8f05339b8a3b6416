import HTTPTypes
import Hummingbird

/// An answer no Tracker would give, for testing how a client copes with a misconfigured URL, a
/// proxy's error page or a server that moved (`--broken-answer`, `--broken-post`).
public enum BrokenAnswer: Sendable, Equatable {
    /// 200 with an HTML page, as a web server or a captive portal would answer.
    case html
    /// 200 with no body at all.
    case emptyBody
    /// 200 labelled `application/json` whose body is not JSON.
    case invalidJSON
    /// 404 with a web server's "Not Found" page, as a proxy in front of the wrong path answers.
    case notFoundPage
    /// 307 to the same path under another base URL (the client must not follow it).
    case redirect(to: String)

    /// Reads `html`, `empty`, `invalid-json`, `not-found-page` or `redirect=URL`; nil for anything else.
    public init?(argument: String) {
        switch argument {
        case "html": self = .html
        case "empty": self = .emptyBody
        case "invalid-json": self = .invalidJSON
        case "not-found-page": self = .notFoundPage
        default:
            let prefix = "redirect="
            guard argument.hasPrefix(prefix), argument.count > prefix.count else { return nil }
            self = .redirect(to: String(argument.dropFirst(prefix.count)))
        }
    }

    /// The response for a request to `path`.
    func response(forPath path: String) -> Response {
        switch self {
        case .html:
            let page = "<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><p>Not an API.</p></body></html>\n"
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        case .notFoundPage:
            let page = "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>\n"
            return Response(status: .notFound, headers: [.contentType: "text/html"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        case .emptyBody:
            return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: "0"])
        case .invalidJSON:
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"kind\": \"story\", \"id\": ")))
        case .redirect(let base):
            let target = base.hasSuffix("/") ? String(base.dropLast()) + path : base + path
            return Response(status: .temporaryRedirect, headers: [.location: target, .contentLength: "0"])
        }
    }
}
