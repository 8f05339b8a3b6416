#ifndef COMMITBRIDGE_CZLIB_SHIM_H
#define COMMITBRIDGE_CZLIB_SHIM_H
/* zlib, which libgit2 itself is built on (zlib1g-dev comes with libgit2-dev). HistoryReader inflates
 * commits straight from pack files with it; GitKit checks loose objects with it. */
#include <zlib.h>
#endif
