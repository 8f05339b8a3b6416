import Foundation
import XCTest
@testable import GitKit

/// The process's own `mbedtls_x509_crt_parse_*` must be the ones libgit2 calls: if mbedTLS's were
/// found first, `git_libgit2_init()` would go back to parsing the system's CA bundle.
final class SkippedCertificateBundleTests: XCTestCase {
    private typealias ParseFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32

    /// Calls the definition the dynamic linker resolves for `name` (as it does for libgit2) on a
    /// real certificate file, with a zeroed chain (which is what `mbedtls_x509_crt_init` makes).
    private func resolvedParse(_ name: String, path: String) throws -> Int32 {
        let symbol = try XCTUnwrap(dlsym(UnsafeMutableRawPointer(bitPattern: 0), name), "\(name) is not resolvable")
        let parse = unsafeBitCast(symbol, to: ParseFunction.self)
        // mbedtls_x509_crt is well under 4 KiB; mbedTLS's parser would fill it and return 0.
        let chain = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 16)
        chain.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        // Left allocated on purpose: had mbedTLS's parser run, the chain would own heap memory.
        return path.withCString { parse(chain, $0) }
    }

    func testLibgit2ResolvesTheCertificateParsersToTheSkippingOnes() throws {
        Libgit2Library.ensureInitialised()
        let bundle = "/etc/ssl/certs/ca-certificates.crt"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: bundle), "no CA bundle on this machine")
        XCTAssertEqual(try resolvedParse("mbedtls_x509_crt_parse_file", path: bundle), mbedTLSFileError)
        XCTAssertEqual(try resolvedParse("mbedtls_x509_crt_parse_path", path: "/etc/ssl/certs"), mbedTLSFileError)
    }
}
