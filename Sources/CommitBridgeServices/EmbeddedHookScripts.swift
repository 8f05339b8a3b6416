/// The scripts of the repository's `hooks/` folder, built into the binary so that `install` works
/// wherever the binary was copied to. `HookScriptsTests` checks they equal `hooks/` byte for byte.
enum EmbeddedHookScripts {
    /// File name → script text.
    static let scripts: [String: String] = [
        "post-commit": #"""
        #!/bin/sh
        # installed by commitbridge: hands each new commit to 'commitbridge hook post-commit', started in the
        # background so that git commit waits only for this script and one 'git rev-parse'.
        # 'commitbridge install' writes the binary's path below; 'commitbridge uninstall' removes this hook.
        COMMITBRIDGE_BIN=
        bin=$COMMITBRIDGE_BIN
        [ -f "$bin" ] && [ -x "$bin" ] || bin=$(command -v commitbridge) ||
        	echo "commitbridge: binary not found; hook skipped (reinstall with 'commitbridge install')" >&2
        status=0
        # commitbridge:chain
        [ -n "$bin" ] || exit $status
        # The git directory, then the new commit's id. A rebase posts nothing: git keeps its state in
        # rebase-merge/ or rebase-apply/, and the commits it rewrites were posted under their old ids.
        found=$(git rev-parse --git-dir HEAD 2>/dev/null) || exit $status
        head=${found##*[!0-9a-f]}
        gitdir=${found%?"$head"}
        { [ -d "$gitdir/rebase-merge" ] || [ -d "$gitdir/rebase-apply" ]; } && exit $status
        if [ -n "$COMMITBRIDGE_HOOK_FOREGROUND" ]; then
        	# Wait for queueing and delivery, with problems on stderr (for debugging, or a CI that wants it).
        	"$bin" hook post-commit --commit "$head" --foreground
        	result=$?
        	[ "$status" -ne 0 ] || status=$result
        else
        	# Problems go to <state directory>/delivery.log; the process holds none of git's pipes.
        	"$bin" hook post-commit --commit "$head" --background </dev/null >/dev/null 2>&1 &
        fi
        exit $status
        """# + "\n",
        "pre-push": #"""
        #!/bin/sh
        # installed by commitbridge: posts what a push puts on the remote, once the push is over. git runs
        # this before pushing, with '<local ref> <local sha> <remote ref> <remote sha>' lines on stdin;
        # 'commitbridge hook pre-push' hands them to a background process that waits for this git push to
        # end and posts the commits the remote-tracking branches then hold. It never stops a push.
        # 'commitbridge install' writes the binary's path below; 'commitbridge uninstall' removes this hook.
        COMMITBRIDGE_BIN=
        bin=$COMMITBRIDGE_BIN
        [ -f "$bin" ] && [ -x "$bin" ] || bin=$(command -v commitbridge) ||
        	echo "commitbridge: binary not found; hook skipped (reinstall with 'commitbridge install')" >&2
        # commitbridge:chain
        [ -n "$bin" ] || exit 0
        # Problems go to <state directory>/delivery.log; the push goes on whatever happens here.
        "$bin" hook pre-push --git-pid "$PPID" "$@" >/dev/null 2>&1
        exit 0
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
        # installed by commitbridge: warns about near-miss story tags in the message being committed.
        # 'commitbridge install' writes the binary's path below; 'commitbridge uninstall' removes this hook.
        COMMITBRIDGE_BIN=
        bin=$COMMITBRIDGE_BIN
        [ -f "$bin" ] && [ -x "$bin" ] || bin=$(command -v commitbridge) ||
        	echo "commitbridge: binary not found; hook skipped (reinstall with 'commitbridge install')" >&2
        # commitbridge:chain
        [ -n "$bin" ] || exit 0
        # commitbridge-commit-msg, built beside commitbridge, runs the same check as 'commitbridge hook
        # commit-msg' and starts in a few milliseconds instead of a few tens.
        check=${bin%/*}/commitbridge-commit-msg
        [ -x "$check" ] && exec "$check" "$1"
        exec "$bin" hook commit-msg "$1"
        """# + "\n",
    ]
}
