import Foundation

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
