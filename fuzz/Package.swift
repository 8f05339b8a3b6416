// swift-tools-version:6.0
// A libFuzzer target for CommitBridgeCore: the tag parser and the payload path
// (revert rewrite, shortening, JSON). Build and run it with `fuzz/run.sh`.
import PackageDescription

let package = Package(
    name: "commitbridge-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        // The project itself, by path. Only its CommitBridgeCore library is built here.
        .package(name: "commitbridge", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzCommitBridge",
            dependencies: [.product(name: "CommitBridgeCore", package: "commitbridge")]
        ),
    ]
)
