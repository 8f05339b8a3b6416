import ArgumentParser
import CommitBridgeKit
import Foundation
import HookInstaller

/// `commitbridge install`: puts the hook scripts in place, chaining any hook already there.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the git hooks (default: post-commit and commit-msg in a work tree, post-receive in a bare repository).",
        discussion: "An existing hook of another tool is kept and chained; core.hooksPath is honoured; installing twice changes nothing."
    )

    @OptionGroup var selection: HookSelection
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repositoryPath: String?

    func run() throws {
        let results = try HookSelection.withInstaller(repositoryPath) { installer in
            try HookSelection.mapErrors { try installer.install(selection.kinds(default: installer.defaultKinds)) }
        }
        for result in results {
            StandardStreams.out(result.description)
        }
    }
}
