import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A blocking HTTP request through URLSession, for the process tests.
enum BlockingHTTP {
    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data
    }

    static func send(_ url: URL, method: String = "GET", token: String?, body: Data? = nil) throws -> Reply {
        var request = URLRequest(url: url, timeoutInterval: 20)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue(token, forHTTPHeaderField: "X-TrackerToken") }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        let box = ReplyBox()
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.store(data: data, response: response as? HTTPURLResponse, error: error)
            done.signal()
        }.resume()
        done.wait()
        return try box.reply()
    }
}

private final class ReplyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: HTTPURLResponse?
    private var error: (any Error)?

    func store(data: Data?, response: HTTPURLResponse?, error: (any Error)?) {
        lock.withLock { (self.data, self.response, self.error) = (data, response, error) }
    }

    func reply() throws -> BlockingHTTP.Reply {
        try lock.withLock {
            if let error { throw error }
            guard let response else { throw URLError(.badServerResponse) }
            var headers: [String: String] = [:]
            for (key, value) in response.allHeaderFields {
                headers[String(describing: key).lowercased()] = String(describing: value)
            }
            return BlockingHTTP.Reply(status: response.statusCode, headers: headers, body: data ?? Data())
        }
    }
}
