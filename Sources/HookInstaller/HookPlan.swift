import Foundation

/// One hook's change, decided (and its directory checked) before any hook is touched, then applied.
struct HookPlan {
    let place: HookPlace
    let step: HookStep
    let action: HookAction

    /// Checks that the step can be carried out in the hooks directory.
    init(place: HookPlace, step: HookStep, action: HookAction) throws {
        if case .none = step {} else { try HookFileSystem.checkCanWrite(in: place.directory) }
        self.place = place
        self.step = step
        self.action = action
    }

    /// Carries the step out and reports it.
    func apply() throws -> InstallResult {
        switch step {
        case .none:
            break
        case .write(let script):
            try HookFileSystem.makeDirectories(place.directory)
            try HookFileSystem.writeExecutable(script, to: place.path)
        case .keepAndWrite(let script):
            try HookFileSystem.move(place.path, to: place.chainedPath)
            try HookFileSystem.writeExecutable(script, to: place.path)
        case .remove:
            try HookFileSystem.remove(place.path)
        case .restore:
            try HookFileSystem.move(place.chainedPath, to: place.path)
        }
        return InstallResult(kind: place.kind, path: place.path, action: action)
    }
}
