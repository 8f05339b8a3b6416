import ArgumentParser

/// Flags every hook takes.
struct HookFlags: ParsableArguments {
    @Flag(name: .long, help: "Fail (exit non-zero) on problems instead of warning; a hook never blocks git otherwise.")
    var strict = false

    @Flag(name: .long, help: "Deliver before returning, instead of in a background process.")
    var foreground = false
}
