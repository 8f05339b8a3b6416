// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "commitbridge",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "commitbridge", targets: ["commitbridge"]),
        .executable(name: "tracker-sim", targets: ["tracker-sim"]),
        .executable(name: "commitbridge-commit-msg", targets: ["commitbridge-commit-msg"]),
        .library(name: "CommitBridgeCore", targets: ["CommitBridgeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C shim over Debian's libgit2-dev. Only GitKit imports it.
        .systemLibrary(
            name: "Clibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // zlib (libgit2-dev depends on zlib1g-dev): HistoryReader inflates pack entries, GitKit checks loose objects.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's <malloc.h> (mallopt), for the process's allocator settings. Nothing to link.
        .systemLibrary(name: "CMalloc"),
        // The fast history reader: commit-graph file, pack files, zlib, read-ahead and reader threads.
        // No libgit2: what it cannot read it asks of the caller's fallback (GitKit's is libgit2).
        .target(name: "HistoryReader", dependencies: ["CZlib"]),
        // The libgit2 wrapper: owners for libgit2 handles; every return code becomes a thrown GitError.
        .target(name: "GitKit", dependencies: ["Clibgit2", "CZlib", "HistoryReader", "CommitBridgeCore"]),
        // Pure logic: parser, payloads, predicted effects. No git, no network, no printing.
        .target(name: "CommitBridgeCore"),
        // The Tracker HTTP client on async-http-client: retries, backoff, 429, error objects.
        .target(
            name: "TrackerClient",
            dependencies: [
                "CommitBridgeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // sqlite3_db_config, which Swift cannot call (it is variadic), for the one option the store sets.
        .systemLibrary(name: "CSQLiteOptions"),
        // The state directory's SQLite database (GRDB): ledger, queue, story cache.
        .target(
            name: "CommitBridgeStore",
            dependencies: [
                "CommitBridgeCore",
                "CSQLiteOptions",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Installs and removes the hook scripts of hooks/, chaining any hook already there.
        .target(name: "HookInstaller", dependencies: ["GitKit"]),
        // One service per user job (replay, flush, hooks, ci, install, doctor, status), joining the
        // edges and the core; the command line's only way in. Re-exports the core's value types.
        .target(name: "CommitBridgeServices", dependencies: ["GitKit", "CommitBridgeCore", "TrackerClient", "CommitBridgeStore", "HookInstaller", "CMalloc"]),
        // The local Tracker: app builder, in-memory state, fault injection (Hummingbird). It reads
        // commit messages with its own reading of Tracker's rules, never the client's parser.
        .target(
            name: "TrackerSimKit",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "tracker-sim",
            dependencies: [
                "TrackerSimKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The command line: parses, calls one service, prints through one printer, maps errors to
        // exit codes in one function. No git, store, HTTP or installer module.
        .executableTarget(
            name: "commitbridge",
            dependencies: [
                "CommitBridgeServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The commit-msg check alone, for the installed hook: no ArgumentParser, Foundation ICU, NIO or SQLite.
        .executableTarget(name: "commitbridge-commit-msg", dependencies: ["CommitBridgeCore"]),
        // Helpers for the tests: real git repositories in temporary directories, running the binary.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // A sandbox of real git repositories for the tests of the git layer (GitKit, HistoryReader).
        .target(name: "GitTestSupport", dependencies: ["TestSupport"], path: "Tests/GitTestSupport"),
        .testTarget(name: "CommitBridgeCoreTests", dependencies: ["CommitBridgeCore"]),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "CommitBridgeCore", "GitTestSupport"]),
        .testTarget(name: "HistoryReaderTests", dependencies: ["HistoryReader", "GitKit", "GitTestSupport"]),
        .testTarget(name: "CommitBridgeServicesTests", dependencies: ["CommitBridgeServices", "CommitBridgeCore", "CommitBridgeStore", "GitKit", "TrackerClient", "TestSupport"]),
        .testTarget(name: "HookInstallerTests", dependencies: ["HookInstaller", "GitKit", "TestSupport"]),
        .testTarget(name: "CommitBridgeStoreTests", dependencies: ["CommitBridgeStore", "CommitBridgeCore"]),
        .testTarget(
            name: "TrackerSimTests",
            dependencies: [
                "TrackerSimKit",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The client's parser and state table against the simulator's own reading, message by message.
        .testTarget(name: "SyntaxDifferentialTests", dependencies: ["CommitBridgeCore", "TrackerSimKit"]),
        .testTarget(name: "TrackerClientTests", dependencies: ["TrackerClient", "CommitBridgeCore", "TestSupport"]),
        // Depends on the executable so that `swift test` builds it; the tests run the real binary.
        .testTarget(name: "CLITests", dependencies: ["commitbridge", "commitbridge-commit-msg", "tracker-sim", "CommitBridgeCore", "TestSupport"]),
    ]
)
