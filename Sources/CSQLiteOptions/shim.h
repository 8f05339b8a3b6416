#ifndef COMMITBRIDGE_CSQLITEOPTIONS_SHIM_H
#define COMMITBRIDGE_CSQLITEOPTIONS_SHIM_H
#include <sqlite3.h>

/*
 * Swift cannot call the variadic sqlite3_db_config, so the one setting the state database needs
 * is wrapped here with a fixed parameter list.
 */

/* sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL): closing the connection
 * leaves the write-ahead log as it is instead of copying it into the database file and deleting
 * it (the log is durable already; the next connection reads it). Returns SQLite's result code. */
static inline int commitbridge_sqlite_keep_wal_on_close(sqlite3 *db)
{
	return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

#endif
