import Clibgit2
import Foundation
import HistoryReader

/// A shallow clone's history as git sees it: the commits listed in `<common dir>/shallow` have no
/// parents. libgit2 1.5 does not know this (its revision walker and merge-base search look for the
/// missing parents and fail), so in a shallow clone `Repository` walks with `HistoryReader`, cutting
/// those commits' parents, and explains the failures a shallow clone causes.
enum ShallowHistory {
    /// How to get the history a shallow clone lacks.
    static let advice = "fetch more history with 'git fetch --deepen=<n>' or 'git fetch --unshallow'"

    /// The commits `<commonDirectory>/shallow` lists, in file order, each once; empty when the file is
    /// missing or empty (a complete clone). Read afresh on every call: a fetch rewrites the file.
    static func commits(commonDirectory: String) -> [ObjectID] {
        guard let data = FileManager.default.contents(atPath: commonDirectory + "/shallow") else { return [] }
        var seen = Set<ObjectID>()
        var listed: [ObjectID] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            guard let id = ObjectID(hex: line.trimmingCharacters(in: .whitespaces)), seen.insert(id).inserted else { continue }
            listed.append(id)
        }
        return listed
    }

    /// A revision that does not resolve in a shallow clone: a full commit id that is not there says
    /// so plainly; anything else (`HEAD~30`, a short id) keeps libgit2's words and adds that the
    /// commit may lie beyond the clone's edge. Both say how to fetch more history.
    static func revisionNotInClone(_ revision: String, _ error: GitError) -> GitError {
        let summary = ObjectID(hex: revision) != nil
            ? "commit \(revision) is not in this shallow clone; \(advice)"
            : "\(error.summary); this is a shallow clone and the commit may lie beyond its edge: \(advice)"
        return GitError(kind: .revisionNotFound, code: error.code, libgit2Message: error.libgit2Message, summary: summary)
    }

    /// A walk of a shallow clone that found a parent missing that the shallow file does not list (the
    /// file was edited, or objects are missing).
    static func walkPastEdge(_ error: GitError) -> GitError {
        GitError(kind: .other, code: error.code, libgit2Message: error.libgit2Message,
                 summary: LibraryCall.joined("cannot walk past the edge of a shallow clone (\(advice))", error.libgit2Message))
    }
}
