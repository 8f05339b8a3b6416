import ArgumentParser
import CommitBridgeKit
import HookInstaller

/// `commitbridge uninstall`: removes commitbridge's hooks and restores what was there before.
struct UninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove commitbridge's hooks, restoring any hook they had chained."
    )

    @OptionGroup var selection: HookSelection
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repositoryPath: String?

    func run() throws {
        let kinds = selection.isEmpty ? HookKind.allCases : selection.kinds(default: [])
        let results = try HookSelection.withInstaller(repositoryPath) { installer in
            try HookSelection.mapErrors { try installer.uninstall(kinds) }
        }
        for result in results {
            StandardStreams.out(result.description)
        }
    }
}
