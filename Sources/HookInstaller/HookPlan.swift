import Foundation

// What one hook's change comes to before anything is written: where it goes, and the file operations.

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

/// The paths of one hook: the script git runs, and where a foreign hook is kept when chained.
struct HookPlace: Sendable {
    let kind: HookKind
    /// The hooks directory.
    let directory: String
    /// `<directory>/<hook name>`.
    var path: String { directory + "/" + kind.rawValue }
    /// `<directory>/<hook name>.commitbridge-chained`.
    var chainedPath: String { path + HookTemplate.chainedSuffix }
}

/// The file operations that carry out one hook's change.
enum HookStep {
    /// Nothing to do.
    case none
    /// Write our script, replacing ours or filling an empty place.
    case write(Data)
    /// Move the foreign hook to the chained path, then write our script.
    case keepAndWrite(Data)
    /// Delete our script.
    case remove
    /// Move the chained hook back over our script.
    case restore
}
