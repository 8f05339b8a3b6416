import Foundation
import TestSupport

/// A plain HTTP server on 127.0.0.1 that answers like a Tracker an attacker controls: every text it
/// sends back (error objects, the `/me` name, story names and types) carries terminal escape
/// sequences, and its general problem is 5,000 characters long. Served by Python's `http.server`.
final class HostileTrackerServer {
    /// What the server answers.
    enum Mode: String {
        /// JSON answers full of escape sequences; every POST is refused (400) with such an error object.
        case escapes
        /// `GET /me` answers escape sequences that are not JSON at all.
        case rawText = "raw-text"
        /// Every answer is a JSON document of 9 MiB.
        case huge
    }

    /// The escape sequences every text holds: set the window title, clear the screen, a C1 CSI.
    static let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m"

    /// `http://127.0.0.1:PORT/services/v5`
    let apiURL: String
    private let server: ScriptServer

    init(_ mode: Mode) throws {
        let script = #"""
            import http.server, json, os, re, sys, threading
            mode = sys.argv[1]
            hostile = "\x1b]0;pwned\x07\x1b[2J\u009b31m"
            class Answer(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                def answer(self, status, value=None, raw=None):
                    body = raw if raw is not None else json.dumps(value).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def do_GET(self):
                    if mode == "huge":
                        return self.answer(200, raw=b'{"name":"' + b"x" * (9 << 20) + b'"}')
                    if self.path.endswith("/me"):
                        if mode == "raw-text":
                            return self.answer(200, raw=(hostile + " not JSON").encode())
                        return self.answer(200, {"name": "Mallory" + hostile + "m" * 5000})
                    story = re.search(r"/stories/(\d+)", self.path)
                    if story and "/comments" in self.path:
                        return self.answer(200, [])
                    if story:
                        return self.answer(200, {"id": int(story.group(1)), "project_id": 7,
                                                 "story_type": "feature" + hostile, "current_state": "started" + hostile,
                                                 "name": "Story" + hostile + "n" * 5000, "comments": []})
                    self.answer(404, {"kind": "error", "code": "not_found" + hostile, "error": "nothing" + hostile})
                def do_POST(self):
                    self.rfile.read(int(self.headers.get("Content-Length", "0")))
                    if mode == "huge":
                        return self.answer(200, raw=b'[' + b" " * (9 << 20) + b']')
                    self.answer(400, {"kind": "error", "code": "invalid_parameter" + hostile,
                                      "error": "Refused" + hostile, "general_problem": "Problem" + hostile + "p" * 5000,
                                      "possible_fix": "Fix" + hostile + "it",
                                      "validation_errors": [{"field": "comment" + hostile, "problem": "bad" + hostile}]})
                def log_message(self, *args): pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
            print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
            threading.Timer(300, lambda: os._exit(0)).start()  # never outlives the test by much
            server.serve_forever()
            """#
        server = try ScriptServer("hostile server", script: script, arguments: [mode.rawValue])
        apiURL = server.origin + "/services/v5"
    }
}
