#ifndef COMMITBRIDGE_CLIBGIT2_SHIM_H
#define COMMITBRIDGE_CLIBGIT2_SHIM_H
#include <git2.h>
/* The object database backend interface: GitKit reads loose objects through a backend of its own. */
#include <git2/sys/odb_backend.h>

/*
 * Swift cannot call C variadic functions such as git_libgit2_opts, so the few
 * options GitKit sets are wrapped here with fixed parameter lists.
 */

/* git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size): objects of `type`
 * larger than `size` bytes are not kept in libgit2's object cache (0: never cached). */
static inline int commitbridge_set_cache_object_limit(git_object_t type, size_t size)
{
	return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size);
}

/* git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, bytes): the most pack data libgit2 keeps
 * mapped at once; older windows are unmapped, so resident memory does not follow pack size. */
static inline int commitbridge_set_mwindow_mapped_limit(size_t bytes)
{
	return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, bytes);
}

/* git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, bytes): the size of one mapped pack window. */
static inline int commitbridge_set_mwindow_size(size_t bytes)
{
	return git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, bytes);
}

/* git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled): whether every object read
 * is hashed again and compared with its id. git itself does not do this when reading history. */
static inline int commitbridge_set_strict_hash_verification(int enabled)
{
	return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

#endif
