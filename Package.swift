// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "commitbridge",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "commitbridge", targets: ["commitbridge"]),
        .library(name: "CommitBridgeCore", targets: ["CommitBridgeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C shim over Debian's libgit2-dev. Only GitKit imports it.
        .systemLibrary(
            name: "Clibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // Owners for libgit2 handles; every return code becomes a thrown GitError.
        .target(name: "GitKit", dependencies: ["Clibgit2"]),
        // Pure logic: parser, payloads, predicted effects. No git, no network, no printing.
        .target(name: "CommitBridgeCore"),
        // Services that join the git edge and the core (replay planning, configuration).
        .target(name: "CommitBridgeKit", dependencies: ["GitKit", "CommitBridgeCore"]),
        // Thin command-line front end.
        .executableTarget(
            name: "commitbridge",
            dependencies: [
                "CommitBridgeKit",
                "CommitBridgeCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers for the tests: real git repositories in temporary directories, running the binary.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CommitBridgeCoreTests", dependencies: ["CommitBridgeCore"]),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit"]),
        .testTarget(name: "CommitBridgeKitTests", dependencies: ["CommitBridgeKit", "CommitBridgeCore", "GitKit", "TestSupport"]),
        // Depends on the executable so that `swift test` builds it; the tests run the real binary.
        .testTarget(name: "CLITests", dependencies: ["commitbridge", "CommitBridgeCore", "TestSupport"]),
    ]
)
