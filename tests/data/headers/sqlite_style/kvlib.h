/* A fictional key-value library in SQLite's comment style: one comment above several
   prototypes, the function as the subject of its sentences, SQL's NULL beside C's. For
   doc_placement.cpp and the docs rules (tests/inference/test_shared_comments.cpp). */
typedef struct kv_db kv_db;
typedef struct kv_value kv_value;

/*
** CAPI3REF: Open A Database
**
** The kv_open() interface opens the database file named by zName.
*/
int kv_open(const char *zName, kv_db **ppDb);

/*
** CAPI3REF: Close A Database
**
** The kv_close() routine is called to destroy a database connection.
** Calling kv_close() with a NULL pointer argument is a harmless no-op.
*/
int kv_close(kv_db *pDb);

/*
** CAPI3REF: Retrieving The Key Text
**
** The kv_key(P) interface returns a pointer to the key text of database P.
** The kv_expanded_key(P) interface returns a pointer to a string holding the expanded
** key. The string returned by kv_expanded_key(P) is obtained from kv_malloc() and must
** be freed by the application by passing it to kv_free().
*/
const char *kv_key(kv_db *pDb);
char *kv_expanded_key(kv_db *pDb);
int kv_undocumented(kv_db *pDb);

/*
** CAPI3REF: Values
**
** If the second parameter to kv_put_text() is a NULL pointer then the third parameter
** is ignored and the end result is the same as kv_put_null().
** A value for which kv_value_missing(X) is true will appear to be a NULL value.
*/
int kv_put_text(kv_db *pDb, const char *zText, int nText);
int kv_put_null(kv_db *pDb);
int kv_value_missing(kv_value *pVal);

/*
** CAPI3REF: Library Version
**
** The kv_get_version() interface writes the major version into pMajor. We admit that
** returning the value would be more useful, but we cannot change the implementation of
** kv_get_version() now.
*/
int kv_get_version(int *pMajor);
