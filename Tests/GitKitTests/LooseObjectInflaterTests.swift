import CZlib
import Clibgit2
import Foundation
@testable import GitKit
import XCTest

/// `LooseObjectInflater` on object files made here with zlib: well-formed ones come back whole,
/// and every kind of damage is a reason, with nothing left allocated.
final class LooseObjectInflaterTests: XCTestCase {
    /// `bytes` compressed with zlib (as git writes loose objects).
    private func compressed(_ bytes: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        XCTAssertEqual(compress(&out, &size, bytes, uLong(bytes.count)), Z_OK)
        return Array(out[0..<Int(size)])
    }

    private func object(_ header: String, _ content: [UInt8]) -> [UInt8] {
        compressed(Array(header.utf8) + [0] + content)
    }

    /// Reads `file`, counting buffers given and given back.
    private func read(_ file: [UInt8]) -> (outcome: LooseObjectInflater.Outcome, live: Int) {
        var live = 0
        let outcome = file.withUnsafeBytes { bytes in
            LooseObjectInflater.read(bytes, allocate: { count in
                live += 1
                return UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 16)
            }, release: { buffer in
                live -= 1
                buffer.deallocate()
            })
        }
        return (outcome, live)
    }

    private func damage(_ file: [UInt8], file line: UInt = #line) -> String? {
        let (outcome, live) = read(file)
        XCTAssertEqual(live, 0, "a damaged object keeps no buffer", line: line)
        if case .damaged(let reason) = outcome { return reason }
        if case .object(_, let content, _) = outcome { content.deallocate() }
        return nil
    }

    func testAWellFormedCommitComesBackWhole() {
        for length in [0, 1, 20, 5_000, 200_000] {
            let content = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
            let (outcome, live) = read(object("commit \(length)", content))
            guard case .object(let type, let buffer, let count) = outcome else { return XCTFail("\(length): \(outcome)") }
            XCTAssertEqual(live, 1)
            XCTAssertEqual(type, GIT_OBJECT_COMMIT)
            XCTAssertEqual(count, length)
            XCTAssertEqual(Array(UnsafeRawBufferPointer(start: buffer, count: count)), content)
            XCTAssertEqual(buffer.load(fromByteOffset: count, as: UInt8.self), 0, "NUL-terminated, as libgit2 expects")
            buffer.deallocate()
        }
    }

    func testAHeaderSizeOtherThanTheContentsIsDamage() {
        let content = Array("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\n\nmessage [#1]\n".utf8)
        for claimed in [0, 1, 5, 20, content.count - 1, content.count + 1, content.count + 12] {
            let reason = damage(object("commit \(claimed)", content))
            XCTAssertNotNil(reason, "claimed \(claimed) of \(content.count)")
            XCTAssertTrue(reason?.contains("header says \(claimed) bytes") ?? false, reason ?? "")
        }
    }

    func testOtherDamageHasAReason() {
        let good = object("commit 12", Array("hello world\n".utf8))
        XCTAssertNotNil(damage(Array("this is not zlib data".utf8)))
        XCTAssertNotNil(damage([]))
        XCTAssertNotNil(damage(Array(good.dropLast(6))), "cut short")
        var flipped = good
        flipped[flipped.count / 2] ^= 0xFF
        XCTAssertNotNil(damage(flipped), "a changed byte fails zlib's check")
        XCTAssertNotNil(damage(object("frob 12", Array("hello world\n".utf8))), "unknown type")
        XCTAssertNotNil(damage(object("commit twelve", Array("hello world\n".utf8))))
        XCTAssertNotNil(damage(compressed(Array("commit 12".utf8))), "no NUL after the header")
        // A size the file could never hold is refused before anything is allocated.
        let reason = damage(object("commit 999999999999999", Array("x".utf8)))
        XCTAssertTrue(reason?.contains("more than the file could hold") ?? false, reason ?? "")
    }
}
