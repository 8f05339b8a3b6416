import Foundation
import TestSupport

/// An HTTPS server on 127.0.0.1 whose certificate nobody trusts: a fresh self-signed one made with
/// `openssl`, served by Python's `ssl` module. Any request that got through would be answered 200.
final class SelfSignedTLSServer {
    /// `https://127.0.0.1:PORT`
    let origin: String
    private let process: Process

    init(directory: String) throws {
        let key = directory + "/tls-key.pem", certificate = directory + "/tls-cert.pem"
        let made = try ProcessRunner.run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", key, "-out", certificate,
        ])
        guard made.status == 0 else { throw Failure.setUp("openssl: \(made.err)") }
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
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, certificate, key]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "https://127.0.0.1:") else {
            process.terminate()
            throw Failure.setUp("the TLS server did not start: '\(text)'")
        }
        origin = String(text[range.lowerBound...])
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    enum Failure: Error {
        case setUp(String)
    }
}
