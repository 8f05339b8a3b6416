import Clibgit2
import Foundation

/// Process-wide libgit2 set-up. libgit2 must be initialised once before any other call;
/// the library is never shut down, because other threads may still hold handles.
public enum Libgit2Library {
    /// Swift initialises global and static stored properties lazily and exactly once,
    /// even when several threads race to touch them first.
    private static let initialisationResult: Int32 = {
        let result = git_libgit2_init()
        if result >= 0 {
            // Walks read every commit once. libgit2 would otherwise keep each commit (raw and
            // parsed) in its object cache, up to 256 MB, so memory would grow with history length.
            _ = commitbridge_set_cache_object_limit(GIT_OBJECT_COMMIT, 0)
            // Pack files are read through mapped windows; by default libgit2 keeps up to 8 GiB mapped,
            // and every page a walk touches stays resident. A small window budget keeps memory flat
            // (measured on 200,000 commits: 8 MiB instead of 16 saved 8 MiB of peak, and 4 MiB of 1 MiB windows
            // another 4 MiB, at no cost in time beyond the noise).
            _ = commitbridge_set_mwindow_size(1 << 20)
            _ = commitbridge_set_mwindow_mapped_limit(4 << 20)
            // Re-hashing every object read costs a walk about a tenth of its time, and git does not
            // do it when reading history either; zlib still checks each object's stream.
            _ = commitbridge_set_strict_hash_verification(0)
        }
        return result
    }()

    /// Makes sure `git_libgit2_init()` has run. Cheap after the first call.
    static func ensureInitialised() {
        _ = initialisationResult
    }

    /// Signalled once the background initialisation has finished; nil when none was started.
    nonisolated(unsafe) private static var backgroundDone: DispatchSemaphore?

    /// Starts `git_libgit2_init()` on a thread of its own and returns at once, so that a command
    /// can parse its arguments meanwhile (the CA bundle it would decode is skipped, see
    /// ``skippedCertificateFile(_:_:)``; the rest is loading mbedTLS's state and reading options).
    /// The first GitKit call waits for the initialisation if it is still going on. Call it at most
    /// once, from the main thread, and call ``waitForBackgroundInitialisation()`` before `exit`.
    public static func initialiseInBackground() {
        let done = DispatchSemaphore(value: 0)
        backgroundDone = done
        Thread.detachNewThread {
            ensureInitialised()
            done.signal()
        }
    }

    /// Returns once the initialisation ``initialiseInBackground()`` started has finished (at once when
    /// none was started). `exit` runs the process's destructors while other threads go on: exiting
    /// while that thread is inside the TLS library's set-up crashed the process (a hook that
    /// needs no git at all, such as commit-msg, could end that early).
    public static func waitForBackgroundInitialisation() {
        guard let done = backgroundDone else { return }
        done.wait()
        done.signal()
    }
}

/// Debian's libgit2 is built on mbedTLS, and `git_libgit2_init()` parses the system's whole CA
/// certificate bundle (`/etc/ssl/certs/ca-certificates.crt`) up front: about 5 ms of CPU, a
/// quarter of a post-commit hook's run. commitbridge never opens a connection through libgit2 (it
/// reads local repositories; HTTP goes through AsyncHTTPClient, which has its own TLS), so the
/// bundle is never used.
///
/// These two definitions take the place of mbedTLS's functions of the same names for the whole
/// process: an executable's exported symbols come first when the dynamic linker resolves
/// libgit2's calls. They load nothing and answer mbedTLS's "file I/O error", which libgit2's
/// initialisation ignores. A TLS connection made through libgit2, were one ever made, would
/// trust no certificate and fail verification: it fails closed. See docs/decisions.md.
@_cdecl("mbedtls_x509_crt_parse_file")
public func skippedCertificateFile(_ chain: UnsafeMutableRawPointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    mbedTLSFileError
}

/// The directory form of ``skippedCertificateFile(_:_:)``, for a libgit2 built with a directory
/// of certificates as its default.
@_cdecl("mbedtls_x509_crt_parse_path")
public func skippedCertificateDirectory(_ chain: UnsafeMutableRawPointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    mbedTLSFileError
}

/// `MBEDTLS_ERR_X509_FILE_IO_ERROR`.
let mbedTLSFileError: Int32 = -0x2900
