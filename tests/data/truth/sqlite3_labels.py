"""Hand-written SQLite truth labels for /usr/include/sqlite3.h (SQLite 3.40), read
from the CAPI3REF comment blocks before each group of prototypes and the
inline `/* OUT: ... */` comments on parameters. Rules and judgment calls:
NOTES.md.

SQLite's objects are structs used only through pointers (`sqlite3 *db`,
`sqlite3_stmt *`): the docs call them "database connection handle", "prepared
statement object", "BLOB handle" and create/destroy them with open/close,
prepare/finalize, blob_open/blob_close, backup_init/backup_finish, so
`T *` is a handle (POINTER_HANDLES) and `T **` an out element of handle.
Unnamed parameters are `arg<i>`, as the spec names them."""

HANDLE_TYPES = set()
POINTER_HANDLES = {"sqlite3", "sqlite3_stmt", "sqlite3_blob", "sqlite3_backup", "sqlite3_context", "sqlite3_value"}
NULLABLE_HANDLES = set()
STATUS_TYPES = {}

SQL_IN = ("in string -- \"SQL statement, UTF-8 encoded\"; \"If the nByte argument is negative, then zSql is read up to the "
          "first zero terminator. If nByte is positive, then it is the number of bytes read from zSql\" (a string with an "
          "optional length, as clCreateProgramWithSource)")


def prepare():
    return {"params": {
        "zSql": SQL_IN,
        "ppStmt": "out element elem=handle allocates -- \"OUT: Statement handle\"; \"*ppStmt is left pointing to a compiled prepared statement\"",
        "pzTail": "out element elem=opaque nullable -- \"If pzTail is not NULL then *pzTail is made to point to the first byte past the end of the first SQL statement in zSql\": a pointer into the caller's own zSql"}}


def bind_text_like(kind_label):
    return {"params": {
        "arg0": "handle -- the prepared statement",
        "arg2": kind_label,
        "arg4": "callback nullable -- \"The fifth argument to the BLOB and string binding interfaces controls or indicates the lifetime of the object referenced by the third parameter\": \"A destructor to dispose of the BLOB or string after SQLite has finished with it\"; may be SQLITE_STATIC (0) or SQLITE_TRANSIENT (-1)"}}


LABELS = {
    "sqlite3_libversion": {"ret": "string -- \"returns a pointer to the to the sqlite3_version[] string constant\""},
    "sqlite3_open": {"params": {
        "filename": "in string -- \"Database filename (UTF-8)\"",
        "ppDb": "out element elem=handle allocates -- \"OUT: SQLite db handle\""}},
    "sqlite3_open_v2": {"params": {
        "filename": "in string -- \"Database filename (UTF-8)\"",
        "ppDb": "out element elem=handle allocates -- \"OUT: SQLite db handle\"",
        "zVfs": "in string nullable -- \"Name of VFS module to use\"; \"If zVfsName is NULL then the default VFS is returned\" (sqlite3_vfs_find), NULL selects the default"}},
    "sqlite3_close": {"params": {"arg0": "handle nullable deallocates -- \"Calling sqlite3_close() or sqlite3_close_v2() with a NULL pointer argument is a harmless no-op\""}},
    "sqlite3_close_v2": {"params": {"arg0": "handle nullable deallocates -- \"with a NULL pointer argument is a harmless no-op\""}},
    "sqlite3_exec": {"params": {
        "arg0": "handle -- \"An open database\"",
        "sql": "in string -- \"SQL to be evaluated\"",
        "callback": "callback nullable -- \"If the callback pointer to sqlite3_exec() is NULL, then no callback is ever invoked\"",
        "arg3": "userdata nullable -- \"1st argument to callback\": \"relayed through to the 1st argument of each callback invocation\"",
        "errmsg": "out element elem=string nullable -- \"If the 5th parameter to sqlite3_exec() is not NULL then any error message is written into memory obtained from sqlite3_malloc() and passed back through the 5th parameter\""}},
    "sqlite3_errcode": {},
    "sqlite3_extended_errcode": {},
    "sqlite3_errmsg": {"ret": "string -- \"return English-language text that describes the error\"; \"Memory to hold the error message string is managed internally\"",
                       "params": {"arg0": "handle -- the database connection"}},
    "sqlite3_errstr": {"ret": "string -- English-language text for a result code"},
    "sqlite3_changes": {"params": {"arg0": "handle -- the database connection"}},
    "sqlite3_total_changes": {"params": {"arg0": "handle -- the database connection"}},
    "sqlite3_last_insert_rowid": {"params": {"arg0": "handle -- the database connection"}},
    "sqlite3_interrupt": {"params": {"arg0": "handle -- the database connection"}},
    "sqlite3_busy_timeout": {"params": {"arg0": "handle -- the database connection"}},
    "sqlite3_complete": {"params": {"sql": "in string -- \"determine if the currently entered text seems to form a complete SQL statement\""}},
    "sqlite3_busy_handler": {"params": {
        "arg0": "handle -- the database connection",
        "arg1": "callback nullable -- \"sets a callback function X that might be invoked with argument P\"; \"If the busy callback is NULL, then SQLITE_BUSY is returned immediately\"",
        "arg2": "userdata nullable -- \"The first argument to the busy handler is a copy of the void* pointer which is the third argument to sqlite3_busy_handler()\""}},
    "sqlite3_set_authorizer": {"params": {
        "arg0": "handle -- the database connection",
        "xAuth": "callback nullable -- the authorizer callback; \"Disable the authorizer by installing a NULL callback\"",
        "pUserData": "userdata nullable -- \"The first parameter to the authorizer callback is a copy of the third parameter to the sqlite3_set_authorizer() interface\""}},
    "sqlite3_get_table": {"params": {
        "zSql": "in string -- \"SQL to be evaluated\"",
        "pazResult": "out element elem=buffer -- \"Results of the query\": one pointer to a result table of (nRow+1)*nColumn strings obtained from sqlite3_malloc, freed with sqlite3_free_table",
        "pnRow": "out element -- \"Number of result rows written here\"",
        "pnColumn": "out element -- \"Number of result columns written here\"",
        "pzErrmsg": "out element elem=string -- \"Error msg written here\""}},
    "sqlite3_free_table": {"params": {"result": "opaque deallocates -- \"Only sqlite3_free_table() is able to release the memory properly and safely\": identifies the table, contents not read"}},
    "sqlite3_malloc": {"ret": "buffer size=arg0 bytes allocates -- \"returns a pointer to a block of memory at least N bytes in length, where N is the parameter\""},
    "sqlite3_free": {"params": {"arg0": "opaque nullable deallocates -- \"The sqlite3_free() routine is a no-op if is called with a NULL pointer\""}},
    "sqlite3_prepare_v2": prepare(),
    "sqlite3_prepare_v3": prepare(),
    "sqlite3_sql": {"ret": "string -- \"returns a pointer to a copy of the UTF-8 SQL text used to create prepared statement P\""},
    "sqlite3_expanded_sql": {"ret": "string allocates -- the SQL text with bound parameters expanded, \"obtained from sqlite3_malloc64()\"; the caller frees it"},
    "sqlite3_stmt_readonly": {},
    "sqlite3_bind_blob": bind_text_like(
        "in buffer size=n bytes nullable -- \"If the third parameter to sqlite3_bind_text() or sqlite3_bind_text16() or sqlite3_bind_blob() is a NULL pointer then the fourth parameter is ignored\"; n is the blob's byte count (negative: undefined)"),
    "sqlite3_bind_text": bind_text_like(
        "in string nullable -- \"If the third parameter to sqlite3_bind_text() is not NULL, then it should be a pointer to well-formed UTF8 text\"; \"If the fourth parameter ... is negative, then the length of the string is the number of bytes up to the first zero terminator\""),
    "sqlite3_bind_double": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_bind_int": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_bind_int64": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_bind_null": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_bind_parameter_count": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_bind_parameter_name": {"ret": "string -- \"returns the name of the N-th SQL parameter in the prepared statement P\"",
                                    "params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_bind_parameter_index": {"params": {
        "arg0": "handle -- the prepared statement",
        "zName": "in string -- \"Return the index of an SQL parameter given its name\""}},
    "sqlite3_clear_bindings": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_column_count": {},
    "sqlite3_column_name": {"ret": "string -- \"return the name assigned to a particular column\"",
                            "params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_step": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_data_count": {},
    "sqlite3_column_blob": {"ret": "buffer bytes -- the column's BLOB; its size is sqlite3_column_bytes() of the same column (another call: not expressible)",
                            "params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_column_double": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_column_int": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_column_text": {"ret": "string -- the column as UTF-8 text, NUL-terminated",
                            "params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_column_bytes": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_column_type": {"params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_finalize": {"params": {"pStmt": "handle nullable deallocates -- \"Invoking sqlite3_finalize() on a NULL pointer is a harmless no-op\""}},
    "sqlite3_reset": {},
    "sqlite3_get_autocommit": {"params": {"arg0": "handle -- the database connection"}},
    "sqlite3_db_handle": {"ret": "handle -- the database connection a prepared statement belongs to",
                          "params": {"arg0": "handle -- the prepared statement"}},
    "sqlite3_table_column_metadata": {"params": {
        "zDbName": "in string nullable -- \"Database name or NULL\"; \"If it is NULL, then all attached databases are searched\"",
        "zTableName": "in string -- \"Table name\"",
        "zColumnName": "in string nullable -- \"If the column-name parameter to sqlite3_table_column_metadata() is a NULL pointer, then this routine simply checks for the existence of the table\"",
        "pzDataType": "out element elem=string nullable -- \"OUTPUT: Declared data type\"; \"Any of these arguments may be NULL, in which case the corresponding element of metadata is omitted\"",
        "pzCollSeq": "out element elem=string nullable -- \"OUTPUT: Collation sequence name\"",
        "pNotNull": "out element nullable -- \"OUTPUT: True if NOT NULL constraint exists\"",
        "pPrimaryKey": "out element nullable -- \"OUTPUT: True if column part of PK\"",
        "pAutoinc": "out element nullable -- \"OUTPUT: True if column is auto-increment\""}},
    "sqlite3_blob_open": {"params": {
        "arg0": "handle -- the database connection",
        "zDb": "in string -- \"the database ... named zDb\"",
        "zTable": "in string -- the table name",
        "zColumn": "in string -- the column name",
        "ppBlob": "out element elem=handle allocates -- \"the new BLOB handle is stored in *ppBlob\""}},
    "sqlite3_blob_close": {"params": {"arg0": "handle nullable deallocates -- \"This function closes an open BLOB handle\"; \"Calling this routine with a null pointer ... is a harmless no-op\""}},
    "sqlite3_blob_bytes": {"params": {"arg0": "handle -- the BLOB handle"}},
    "sqlite3_blob_read": {"params": {
        "arg0": "handle -- the BLOB handle",
        "Z": "out buffer size=N bytes -- \"N bytes of data are copied into buffer Z from the open BLOB, starting at offset iOffset\""}},
    "sqlite3_blob_write": {"params": {
        "arg0": "handle -- the BLOB handle",
        "z": "in buffer size=n bytes -- \"N bytes of data are copied from the buffer Z into the open BLOB\""}},
    "sqlite3_status": {"params": {
        "pCurrent": "out element -- \"The current value of the parameter is returned into *pCurrent\"",
        "pHighwater": "out element -- \"The highest recorded value is returned in *pHighwater\""}},
    "sqlite3_db_status": {"params": {
        "arg0": "handle -- the database connection",
        "pCur": "out element -- \"The current value of the requested parameter is written into *pCur\"",
        "pHiwtr": "out element -- \"the highest instantaneous value is written into *pHiwtr\""}},
    "sqlite3_backup_init": {"ret": "handle allocates -- \"A successful call to sqlite3_backup_init() returns a pointer to an sqlite3_backup object\"",
                            "params": {
        "pDest": "handle -- \"Destination database handle\"",
        "zDestName": "in string -- \"Destination database name\"",
        "pSource": "handle -- \"Source database handle\"",
        "zSourceName": "in string -- \"Source database name\""}},
    "sqlite3_backup_step": {"params": {"p": "handle -- the backup object"}},
    "sqlite3_backup_finish": {"params": {"p": "handle deallocates -- \"The sqlite3_backup_finish() interfaces releases all resources associated with the sqlite3_backup object\""}},
}
