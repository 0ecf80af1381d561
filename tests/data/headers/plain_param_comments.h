/* Ordinary comments after parameters (SQLite's style): each is its parameter's. */
typedef struct pcDb pcDb;
int pcOpen(
  const char *zFilename,  /* Database filename (UTF-8) */
  pcDb **ppDb,            /* OUT: database handle */
  const char *zVfs        /* Name of VFS module to use, or NULL */
);
int pcClose(pcDb *db); /* closes the database: about the function, not db */
int pcLimit(pcDb *db, int id, /* a limit category */ int newVal);
