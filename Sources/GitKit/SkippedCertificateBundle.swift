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
