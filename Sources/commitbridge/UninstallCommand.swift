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
        let installer = try HookSelection.installer(repositoryPath)
        let kinds = selection.isEmpty ? HookKind.allCases : selection.kinds(default: [])
        for result in try HookSelection.mapErrors({ try installer.uninstall(kinds) }) {
            StandardStreams.out(result.description)
        }
    }
}
