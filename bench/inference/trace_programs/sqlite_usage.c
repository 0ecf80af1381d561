/* An SQLite client written the way applications use the library (prepared
 * statements with bindings, sqlite3_exec with a callback, get_table, incremental
 * blob I/O, an online backup), traced by bench_accuracy for the "+ docs + traces"
 * column (docs/accuracy.md). Silent unless something fails. Usage: sqlite_usage DIR */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(sqlite3 *db, const char *what) {
  fprintf(stderr, "sqlite_usage: %s failed: %s\n", what, db ? sqlite3_errmsg(db) : "?");
  return 1;
}

static int rows_seen;
static int count_rows(void *user, int ncols, char **values, char **names) {
  (void)values;
  (void)names;
  *(int *)user += ncols;
  ++rows_seen;
  return 0;
}

static int busy(void *user, int tries) {
  (void)user;
  return tries < 3;
}

static int authorize(void *user, int action, const char *a, const char *b, const char *c, const char *d) {
  (void)action, (void)a, (void)b, (void)c, (void)d;
  ++*(int *)user;
  return SQLITE_OK;
}

static int fill(sqlite3 *db, int rows) {
  char *err = NULL;
  if (sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS item(id INTEGER PRIMARY KEY, name TEXT, price REAL, data BLOB)",
                   NULL, NULL, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return fail(db, "create table");
  }
  sqlite3_stmt *ins = NULL;
  const char *sql = "INSERT INTO item(name, price, data) VALUES(?1, :price, ?3)";
  if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK) return fail(db, "prepare insert");
  (void)sqlite3_bind_parameter_count(ins);
  (void)sqlite3_bind_parameter_name(ins, 2);
  (void)sqlite3_bind_parameter_index(ins, ":price");
  (void)sqlite3_stmt_readonly(ins);
  sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
  for (int i = 0; i < rows; ++i) {
    char name[32];
    int len = snprintf(name, sizeof name, "item-%d", i * 37);
    unsigned char blob[64];
    for (int k = 0; k < 64; ++k) blob[k] = (unsigned char)(i + k);
    sqlite3_bind_text(ins, 1, name, len, SQLITE_TRANSIENT);
    sqlite3_bind_double(ins, 2, i * 1.25);
    if (i % 3) sqlite3_bind_blob(ins, 3, blob, 8 + i % 50, SQLITE_TRANSIENT);
    else sqlite3_bind_null(ins, 3);
    if (sqlite3_step(ins) != SQLITE_DONE) return fail(db, "insert");
    (void)sqlite3_last_insert_rowid(db);
    (void)sqlite3_changes(db);
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
  }
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  (void)sqlite3_total_changes(db);
  (void)sqlite3_sql(ins);
  sqlite3_finalize(ins);
  return 0;
}

static int query(sqlite3 *db, int min_id) {
  sqlite3_stmt *q = NULL;
  const char *tail = NULL;
  const char *sql = "SELECT id, name, price, data FROM item WHERE id > ? ORDER BY id; SELECT 1";
  if (sqlite3_prepare_v3(db, sql, (int)strlen(sql) + 1, SQLITE_PREPARE_PERSISTENT, &q, &tail) != SQLITE_OK)
    return fail(db, "prepare select");
  sqlite3_bind_int(q, 1, min_id);
  sqlite3_bind_int64(q, 1, (sqlite3_int64)min_id);
  char *expanded = sqlite3_expanded_sql(q);
  sqlite3_free(expanded);
  int ncols = sqlite3_column_count(q);
  for (int c = 0; c < ncols; ++c) (void)sqlite3_column_name(q, c);
  double total = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    (void)sqlite3_data_count(q);
    total += sqlite3_column_int(q, 0);
    const unsigned char *name = sqlite3_column_text(q, 1);
    total += name ? strlen((const char *)name) : 0;
    total += sqlite3_column_double(q, 2);
    if (sqlite3_column_type(q, 3) == SQLITE_BLOB) {
      const void *blob = sqlite3_column_blob(q, 3);
      total += sqlite3_column_bytes(q, 3) + (blob ? 1 : 0);
    }
  }
  (void)sqlite3_db_handle(q);
  sqlite3_finalize(q);
  return total > 0 ? 0 : fail(db, "select");
}

static int tables_and_blobs(sqlite3 *db) {
  char **result = NULL;
  int nrow = 0, ncol = 0;
  char *err = NULL;
  if (sqlite3_get_table(db, "SELECT name, price FROM item WHERE id < 6", &result, &nrow, &ncol, &err) != SQLITE_OK)
    return fail(db, "get_table");
  sqlite3_free_table(result);
  int columns = 0;
  sqlite3_exec(db, "SELECT * FROM item WHERE id < 4", count_rows, &columns, &err);
  const char *type = NULL, *coll = NULL;
  int notnull = 0, pk = 0, autoinc = 0;
  sqlite3_table_column_metadata(db, "main", "item", "price", &type, &coll, &notnull, &pk, &autoinc);
  sqlite3_blob *blob = NULL;
  if (sqlite3_blob_open(db, "main", "item", "data", 2, 1, &blob) != SQLITE_OK) return fail(db, "blob_open");
  int bytes = sqlite3_blob_bytes(blob);
  unsigned char buf[64];
  sqlite3_blob_read(blob, buf, bytes < 4 ? bytes : 4, 0);
  sqlite3_blob_write(blob, buf, bytes < 2 ? bytes : 2, 1);
  sqlite3_blob_close(blob);
  return 0;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  char path[4096], copy[4096];
  snprintf(path, sizeof path, "%s/sqlite_usage.db", dir);
  snprintf(copy, sizeof copy, "%s/sqlite_usage_copy.db", dir);
  remove(path);
  remove(copy);
  (void)sqlite3_libversion();
  (void)sqlite3_complete("SELECT 1;");
  (void)sqlite3_errstr(SQLITE_BUSY);
  sqlite3 *db = NULL;
  if (sqlite3_open(path, &db) != SQLITE_OK) return fail(db, "open");
  sqlite3_busy_timeout(db, 100);
  sqlite3_busy_handler(db, busy, NULL);
  int authorized = 0;
  sqlite3_set_authorizer(db, authorize, &authorized);
  sqlite3_set_authorizer(db, NULL, NULL);
  if (fill(db, 25) || query(db, 3) || query(db, 11) || tables_and_blobs(db) || fill(db, 40) || query(db, 30))
    return 1;
  (void)sqlite3_get_autocommit(db);
  (void)sqlite3_errcode(db);
  (void)sqlite3_extended_errcode(db);
  int cur = 0, hi = 0;
  sqlite3_status(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0);
  sqlite3_db_status(db, SQLITE_DBSTATUS_LOOKASIDE_USED, &cur, &hi, 0);
  sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0);
  void *scratch = sqlite3_malloc(100 + rows_seen);
  sqlite3_free(scratch);

  sqlite3 *dst = NULL;
  sqlite3_open_v2(copy, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", db, "main");
  if (!b) return fail(dst, "backup_init");
  while (sqlite3_backup_step(b, 2) == SQLITE_OK) {
  }
  sqlite3_backup_finish(b);
  sqlite3_interrupt(dst);
  sqlite3_close_v2(dst);
  sqlite3_close(db);
  remove(path);
  remove(copy);
  return 0;
}
