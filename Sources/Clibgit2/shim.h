#ifndef COMMITBRIDGE_CLIBGIT2_SHIM_H
#define COMMITBRIDGE_CLIBGIT2_SHIM_H
#include <git2.h>

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

#endif
