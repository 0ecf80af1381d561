/* An SQLite client written the way applications use the library, run natively and
 * through the stack inferred from sqlite3.h (tests/e2e_sqlite/sqlite_e2e.sh): the
 * outputs must be identical. It exercises what the inferred stack has to get right:
 *  - sqlite3_exec with a row callback (a char ** array of values and one of column
 *    names, counted by the callback's int) and an error message the program frees;
 *  - sqlite3_prepare_v2 with nByte = -1 (NUL-terminated) and with an exact length, and
 *    its tail pointer walking a script of several statements;
 *  - bindings whose destructor argument is SQLITE_TRANSIENT (a sentinel function
 *    pointer), text with a length and NUL-terminated text (-1);
 *  - sqlite3_column_text (text returned as const unsigned char *), sqlite3_expanded_sql
 *    (a string the program frees with sqlite3_free).
 * Usage: sqlite_program DB_PATH ROWS */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int die(sqlite3 *db, const char *what) {
  printf("FAILED %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
  return 1;
}

/* Prints each row sqlite3_exec hands over: NULL values stay NULL. */
static int print_row(void *user, int ncols, char **values, char **names) {
  int *rows = user;
  printf("row %d:", ++*rows);
  for (int i = 0; i < ncols; ++i) printf(" %s=%s", names[i], values[i] ? values[i] : "(null)");
  printf("\n");
  return 0;
}

/* Runs every statement of a script one by one through the tail pointer. */
static int run_script(sqlite3 *db, const char *script) {
  const char *at = script;
  int statements = 0;
  while (at && *at) {
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, at, -1, &st, &tail) != SQLITE_OK) return die(db, "prepare script");
    if (!st) break; /* only whitespace or a comment was left */
    while (sqlite3_step(st) == SQLITE_ROW) {}
    sqlite3_finalize(st);
    ++statements;
    printf("statement %d ends at offset %ld\n", statements, (long)(tail - script));
    at = tail;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const int rows = atoi(argv[2]);
  sqlite3 *db = NULL;
  remove(argv[1]);
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    return die(db, "open");
  printf("library %s\n", sqlite3_libversion_number() > 3000000 ? "3.x" : "old");
  if (run_script(db, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, price REAL, note TEXT);\n"
                     "CREATE INDEX item_name ON item(name);  -- two statements\n"))
    return 1;

  sqlite3_stmt *ins = NULL;
  const char *sql = "INSERT INTO item(name, price, note) VALUES(?1, ?2, ?3)";
  if (sqlite3_prepare_v2(db, sql, (int)strlen(sql), &ins, NULL) != SQLITE_OK) return die(db, "prepare insert");
  sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
  for (int i = 0; i < rows; ++i) {
    char name[32];
    int len = snprintf(name, sizeof name, "item-%03d-and-more", i * 7);
    sqlite3_bind_text(ins, 1, name, len - 9, SQLITE_TRANSIENT); /* "item-NNN" only */
    sqlite3_bind_double(ins, 2, i * 1.25);
    if (i % 3) sqlite3_bind_text(ins, 3, "noted", -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(ins, 3);
    if (sqlite3_step(ins) != SQLITE_DONE) return die(db, "insert");
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
  }
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  sqlite3_finalize(ins);
  printf("inserted %d, last rowid %lld, total changes %d\n", rows, (long long)sqlite3_last_insert_rowid(db),
         sqlite3_total_changes(db));

  int seen = 0;
  char *err = NULL;
  if (sqlite3_exec(db, "SELECT id, name, note FROM item WHERE id % 4 = 1 ORDER BY id LIMIT 5", print_row, &seen,
                   &err) != SQLITE_OK)
    return die(db, "select with a callback");
  if (sqlite3_exec(db, "SELECT nothing FROM nowhere", NULL, NULL, &err) != SQLITE_OK) {
    printf("expected error: %s\n", err ? err : "(no message)");
    sqlite3_free(err);
  }

  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db, "SELECT id, name, price FROM item WHERE price >= ?1 ORDER BY price DESC", -1, &q,
                         NULL) != SQLITE_OK)
    return die(db, "prepare select");
  sqlite3_bind_double(q, 1, rows * 0.75);
  char *expanded = sqlite3_expanded_sql(q);
  printf("expanded: %s\n", expanded ? expanded : "(null)");
  sqlite3_free(expanded);
  double total = 0;
  int n = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const unsigned char *name = sqlite3_column_text(q, 1);
    if (n < 3) printf("%s %d %s %.2f\n", sqlite3_column_name(q, 0), sqlite3_column_int(q, 0), name, sqlite3_column_double(q, 2));
    total += sqlite3_column_double(q, 2) + (name ? (double)strlen((const char *)name) : 0);
    ++n;
  }
  sqlite3_finalize(q);
  printf("%d rows over the threshold, checksum %.2f\n", n, total);
  if (sqlite3_close(db) != SQLITE_OK) return die(db, "close");
  printf("done\n");
  return 0;
}
