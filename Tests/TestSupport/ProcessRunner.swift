import Foundation

/// Runs a program to completion, feeding stdin and collecting both outputs without deadlocking.
///
/// It spawns with `posix_spawn` and closes every descriptor above 2 in the child. Foundation's
/// `Process` on Linux hands its child a socket that it watches to learn of the exit, so any
/// background grandchild (a post-commit hook's) keeps `Process` waiting for as long as it lives.
public enum ProcessRunner {
    public static func run(_ executable: String, _ arguments: [String], directory: String? = nil,
                           environment: [String: String]? = nil, stdin: Data? = nil) throws -> ProcessResult {
        let outPipe = try makePipe(), errPipe = try makePipe(), inPipe = try makePipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2)
        _ = GlibcSpawnExtensions.closeFrom(&actions, 3)
        if let directory { _ = GlibcSpawnExtensions.changeDirectory(&actions, directory) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }

        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        for descriptor in [outPipe.write, errPipe.write, inPipe.read] { close(descriptor) }
        guard spawned == 0 else {
            for descriptor in [outPipe.read, errPipe.read, inPipe.write] { close(descriptor) }
            throw NSError(domain: "ProcessRunner", code: Int(spawned),
                          userInfo: [NSLocalizedDescriptionKey: "cannot run \(executable): \(String(cString: strerror(spawned)))"])
        }
        // Drain both pipes on their own threads so a chatty child never blocks.
        let collected = OutputCollector()
        let group = DispatchGroup()
        for (descriptor, isOut) in [(outPipe.read, true), (errPipe.read, false)] {
            group.enter()
            DispatchQueue.global().async {
                collected.store(readToEnd(descriptor), isOut: isOut)
                close(descriptor)
                group.leave()
            }
        }
        if let stdin, !stdin.isEmpty {
            signal(SIGPIPE, SIG_IGN)  // a child that stops reading early must not kill the tests
            stdin.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(inPipe.write, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
        close(inPipe.write)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        group.wait()
        // Exit status as the shell reports it: the code, or 128 + the signal that ended the child.
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ProcessResult(status: exitStatus, stdout: collected.out, stderr: collected.err)
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else {
            throw NSError(domain: "ProcessRunner", code: Int(errno),
                          userInfo: [NSLocalizedDescriptionKey: "pipe: \(String(cString: strerror(errno)))"])
        }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    private static func readToEnd(_ descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { data.append(contentsOf: buffer[0..<count]); continue }
            if count < 0 && errno == EINTR { continue }
            return data
        }
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` and `…_addchdir_np` (2.34 and 2.29), which
/// Swift's Glibc module does not show; looked up once by name.
enum GlibcSpawnExtensions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom = unsafeBitCast(symbol("posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self)
    static let changeDirectory: ChangeDirectory = unsafeBitCast(symbol("posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self)

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("glibc has no \(name) (2.34 or later is needed to run the tests)")
        }
        return address
    }
}

/// Thread-safe holder for the two output streams.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var out = Data()
    private(set) var err = Data()

    func store(_ data: Data, isOut: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if isOut { out = data } else { err = data }
    }
}
