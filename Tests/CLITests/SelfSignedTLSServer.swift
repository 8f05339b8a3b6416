import Foundation
import TestSupport

/// An HTTPS server on 127.0.0.1 whose certificate nobody trusts: a fresh self-signed one made with
/// `openssl`, served by Python's `ssl` module. Any request that got through would be answered 200.
final class SelfSignedTLSServer {
    /// `https://127.0.0.1:PORT`
    let origin: String
    private let server: ScriptServer

    init(directory: String) throws {
        let key = directory + "/tls-key.pem", certificate = directory + "/tls-cert.pem"
        let made = try ProcessRunner.run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", key, "-out", certificate,
        ])
        guard made.status == 0 else { throw ScriptServer.Failure.setUp("openssl: \(made.err)") }
        let script = """
            import http.server, ssl, sys
            class Answer(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = b'{"id": 30, "project_id": 7, "story_type": "feature", "current_state": "unstarted"}'
                    self.send_response(200); self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
                do_POST = do_GET
                def log_message(self, *args): pass
            server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[1], sys.argv[2])
            server.socket = context.wrap_socket(server.socket, server_side=True)
            print("listening on https://127.0.0.1:%d" % server.server_address[1], flush=True)
            import os, threading
            threading.Timer(120, lambda: os._exit(0)).start()  # never outlives the test by much
            server.serve_forever()
            """
        server = try ScriptServer("TLS server", script: script, arguments: [certificate, key], scheme: "https")
        origin = server.origin
    }
}
