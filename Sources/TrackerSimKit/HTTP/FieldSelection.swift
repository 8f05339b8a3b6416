import Foundation

/// The `fields` query parameter of a Tracker v5 request, as far as the simulator reads it: the
/// top-level names, each with its nested field list (`comments(commit_identifier)`) set aside.
/// Tracker's own answers include only what is asked for; the simulator always answers the default
/// fields and adds the nested resources named here.
struct FieldSelection: Equatable {
    /// The top-level names, nested lists removed (`:default`, `comments`, …).
    let names: [String]

    init(_ parameter: String?) {
        var names: [String] = []
        var current = ""
        var depth = 0
        for character in parameter ?? "" {
            switch character {
            case "(":
                depth += 1
            case ")":
                depth = max(0, depth - 1)
            case "," where depth == 0:
                names.append(current)
                current = ""
            default:
                if depth == 0 { current.append(character) }
            }
        }
        names.append(current)
        self.names = names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Whether `name` is asked for (bare or with a nested list).
    func includes(_ name: String) -> Bool {
        names.contains(name)
    }
}
