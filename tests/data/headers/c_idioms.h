/* C idioms of a database-like API (SQLite's), with its docs in the header: what the stack
 * needs to know to run its programs unchanged (tests/inference/test_c_idioms.cpp). */
#include <stdio.h>
#include <uchar.h>

typedef struct kv kv;
typedef struct kv_stmt kv_stmt;

/*
** Compiles the first statement of zSql. ^If the nByte argument is negative, then zSql
** is read up to the first zero terminator. ^If nByte is positive, then it is the number
** of bytes read from zSql. ^If pzTail is not NULL then *pzTail is made to point to the
** first byte past the end of the first statement in zSql.
*/
int kv_prepare(kv *db, const char *zSql, int nByte, kv_stmt **ppStmt, const char **pzTail);

/*
** Binds text under a name. ^If the nText argument is negative, then zText is read up to
** the first zero terminator.
*/
int kv_bind_named(kv_stmt *stmt, const char *zName, const char *zText, int nText);

/*
** Runs a script. ^If the 4th parameter to kv_exec() is not NULL then any error message
** is written into memory obtained from kv_malloc() and passed back through the 4th
** parameter. ^To avoid memory leaks, the application should invoke [kv_free()] on error
** message strings returned through the 4th parameter of kv_exec() after the error
** message string is no longer needed.
*/
int kv_exec(kv *db, const char *sql, void *unused, char **errmsg);

/*
** Frees memory obtained from kv_malloc().
*/
void kv_free(void *p);

/*
** Text of a column. ^Strings returned by kv_column_text(), even empty strings, are
** always zero-terminated.
*/
const unsigned char *kv_column_text(kv_stmt *stmt, int iCol);

/*
** Raw bytes of a column.
*/
const unsigned char *kv_column_bytes_of(kv_stmt *stmt, int iCol);

/*
** Values of a column. ^kv_column_bytes() returns the number of bytes of the value
** kv_column_blob() or kv_column_text16() returned; kv_column_bytes16() of the UTF-16 text.
*/
const void *kv_column_blob(kv_stmt *stmt, int iCol);
const void *kv_column_text16(kv_stmt *stmt, int iCol);
int kv_column_bytes(kv_stmt *stmt, int iCol);
int kv_column_bytes16(kv_stmt *stmt, int iCol);

/* A column of numbers, and how many there are. */
const double *kv_vector_values(kv_stmt *stmt, int iCol);
int kv_vector_length(kv_stmt *stmt, int iCol);

/*
** The name of a column, in UTF-16: declared apart from the values' sizes, which do not
** size it.
*/
const void *kv_column_name16(kv_stmt *stmt, int iCol);

/* Writes the database as text to a stream of the calling process. */
int kv_dump(kv *db, FILE *out);

/* A UTF-16 name: char16_t is the C library's typedef here, a builtin in the C++ of the stack. */
int kv_name16(kv *db, const char16_t *name, int n);

#ifdef _GNU_SOURCE
/* Declared only where g++ (which predefines _GNU_SOURCE) compiles the stack. */
int kv_gnu_only(kv *db);
#endif
#ifndef NDEBUG
/* Declared only without NDEBUG (sqlite3_mutex_held): a Release build of the stack keeps it. */
int kv_debug_check(kv *db);
#endif

/* Callbacks handed bytes with their length: a write callback's constant data travels; a
 * writable buffer (a read callback may fill it) is refused. */
typedef int (*kv_write_fn)(void *user, const unsigned char *data, size_t size);
typedef int (*kv_read_fn)(void *user, unsigned char *buffer, size_t size);
int kv_emit(kv *db, kv_write_fn write, void *user);
int kv_pull(kv *db, kv_read_fn read, void *user);

/*
** Data sized by what the call writes. ^kv_serialize() returns the database as bytes and
** writes their number into *pnSize; the caller must free the returned buffer with kv_free().
*/
unsigned char *kv_serialize(kv *db, const char *zSchema, long long *pnSize, unsigned int flags);
/* The samples of a statement's track; how many are written to *count. */
const float *kv_track_samples(kv_stmt *stmt, size_t *count);
/* Two sizes written: which one sizes the data is not known. */
const void *kv_grid(kv_stmt *stmt, int *nRows, int *nCols);
/**
 * Takes the output the statement has ready.
 * @param stmt the statement
 * @param[in,out] size in: how many bytes the caller takes, 0 for any amount; out: how many
 *                     bytes the returned pointer holds
 */
const unsigned char *kv_take_output(kv_stmt *stmt, size_t *size);

/* Memory for the program to fill: the stack refuses it (its address would be the server's). */
void *kv_malloc(int n);
void *kv_realloc(void *p, int n);

/**
 * Opens a cursor over a table.
 *
 * @returns @c 1 if the function succeeded, @c 0 on error.
 */
int kv_cursor_open(kv *db, const char *zTable);
/* Returns the number of rows written, or a negative value on failure. */
int kv_rows_written(kv *db);
/* Returns the number of rows in the table. */
int kv_row_count(kv *db);
