import Clibgit2

extension Repository {
    /// The paths git tracks (its index holds) under `directory`, relative to the work tree's root;
    /// [] for a bare repository, a directory outside the work tree, or an index that cannot be read.
    public func trackedFiles(under directory: String) -> [String] {
        guard let root = workingDirectory else { return [] }
        let base = root.hasSuffix("/") ? root : root + "/"
        let absolute = directory.hasSuffix("/") ? directory : directory + "/"
        guard absolute.hasPrefix(base) else { return [] }
        let prefix = String(absolute.dropFirst(base.count))
        return locked {
            guard let index = try? Managed<IndexKind>.make("git_repository_index", "cannot read the index", {
                git_repository_index($0, handle.pointer)
            }) else { return [] }
            var paths: [String] = []
            for position in 0..<git_index_entrycount(index.pointer) {
                guard let entry = git_index_get_byindex(index.pointer, position), let path = entry.pointee.path else { continue }
                let text = String(cString: path)
                if text.hasPrefix(prefix) { paths.append(text) }
            }
            return paths
        }
    }
}
