/// The scripts of the repository's `hooks/` folder, built into the binary so that `install` works
/// wherever the binary was copied to. `HookScriptsTests` checks they equal `hooks/` byte for byte.
enum EmbeddedHookScripts {
    /// File name → script text.
    static let scripts: [String: String] = [
        "post-commit": #"""
        #!/bin/sh
        # installed by commitbridge: hands each new commit to 'commitbridge hook post-commit'.
        # 'commitbridge install' writes the binary's path below; 'commitbridge uninstall' removes this hook.
        COMMITBRIDGE_BIN=
        bin=$COMMITBRIDGE_BIN
        [ -f "$bin" ] && [ -x "$bin" ] || bin=$(command -v commitbridge) ||
        	echo "commitbridge: binary not found; hook skipped (reinstall with 'commitbridge install')" >&2
        # commitbridge:chain
        [ -n "$bin" ] || exit 0
        exec "$bin" hook post-commit
        """# + "\n",
        "post-receive": #"""
        #!/bin/sh
        # installed by commitbridge: hands the pushed '<old> <new> <ref>' lines (stdin, untouched)
        # to 'commitbridge hook post-receive'.
        # 'commitbridge install' writes the binary's path below; 'commitbridge uninstall' removes this hook.
        COMMITBRIDGE_BIN=
        bin=$COMMITBRIDGE_BIN
        [ -f "$bin" ] && [ -x "$bin" ] || bin=$(command -v commitbridge) ||
        	echo "commitbridge: binary not found; hook skipped (reinstall with 'commitbridge install')" >&2
        # commitbridge:chain
        [ -n "$bin" ] || exit 0
        exec "$bin" hook post-receive
        """# + "\n",
        "commit-msg": #"""
        #!/bin/sh
        # installed by commitbridge: 'commitbridge hook commit-msg' warns about near-miss story tags.
        # 'commitbridge install' writes the binary's path below; 'commitbridge uninstall' removes this hook.
        COMMITBRIDGE_BIN=
        bin=$COMMITBRIDGE_BIN
        [ -f "$bin" ] && [ -x "$bin" ] || bin=$(command -v commitbridge) ||
        	echo "commitbridge: binary not found; hook skipped (reinstall with 'commitbridge install')" >&2
        # commitbridge:chain
        [ -n "$bin" ] || exit 0
        exec "$bin" hook commit-msg "$1"
        """# + "\n",
    ]
}
