/* Function names with a version number glued to their verb (bzip2's BZ2_bzWriteClose64),
   for the lifecycle name rules. */
typedef struct vnFile_st *vnFile;
int vnOpen2(const char *path, vnFile *file);
int vnWriteClose64(int *error, vnFile file, int abandon, unsigned int *nbytes_in_lo32);
int vnWrite(vnFile file, const void *buf, int len);
