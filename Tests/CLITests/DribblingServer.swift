import Foundation
import TestSupport

/// An HTTP server on 127.0.0.1 that answers requests with `200`, headers promising a JSON body of
/// 100,000 bytes, and then one byte a second, for at most two minutes a connection (Python's standard
/// library, one thread a connection). With `onlyPosts`, GET requests get a real answer at once (story
/// N, unstarted, with no comments; `[]` for anything else) and only POSTs dribble. It counts the
/// requests that reached it.
final class DribblingServer {
    /// `http://127.0.0.1:PORT`
    let origin: String
    private let server: ScriptServer
    private let countFile: String

    init(directory: String, onlyPosts: Bool = false) throws {
        countFile = directory + "/dribbled-requests"
        let script = """
            import socket, sys, threading, time, os
            count_file, only_posts = sys.argv[1], sys.argv[2] == "1"
            lock = threading.Lock()
            def serve(connection):
                connection.settimeout(10)
                data = b""
                try:
                    while b"\\r\\n\\r\\n" not in data and len(data) < 65536:
                        chunk = connection.recv(4096)
                        if not chunk: return
                        data += chunk
                    method, path = data.split(b" ", 2)[:2]
                    with lock:
                        with open(count_file, "a") as f: f.write("P" if method == b"POST" else "G")
                    if only_posts and method != b"POST":
                        story = path.split(b"?")[0].rsplit(b"/", 1)[-1]
                        if b"/stories/" in path and b"/comments" not in path and story.isdigit():
                            body = b'{"id":%s,"project_id":5,"story_type":"feature","current_state":"unstarted","name":"S","comments":[]}' % story
                        else:
                            body = b"[]"
                        connection.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nConnection: close\\r\\n"
                                           + b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body)
                        return
                    connection.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 100000\\r\\n\\r\\n")
                    for _ in range(120):
                        connection.sendall(b" ")
                        time.sleep(1)
                except OSError:
                    pass
                finally:
                    connection.close()
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(16)
            print("listening on http://127.0.0.1:%d" % listener.getsockname()[1], flush=True)
            threading.Timer(180, lambda: os._exit(0)).start()  # never outlives the test by much
            while True:
                connection, _ = listener.accept()
                threading.Thread(target=serve, args=(connection,), daemon=True).start()
            """
        server = try ScriptServer("dribbling server", script: script, arguments: [countFile, onlyPosts ? "1" : "0"])
        origin = server.origin
    }

    /// Requests whose headers the server read.
    var requests: Int {
        (try? Data(contentsOf: URL(fileURLWithPath: countFile)).count) ?? 0
    }

    /// POST requests whose headers the server read.
    var posts: Int {
        ((try? Data(contentsOf: URL(fileURLWithPath: countFile))) ?? Data()).filter { $0 == UInt8(ascii: "P") }.count
    }
}
