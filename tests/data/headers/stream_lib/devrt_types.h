/* A fictional device runtime's types, as a layered library includes them: the
 * stream type lives here, in a header that declares no function of the library. */
#ifndef DEVRT_TYPES_H
#define DEVRT_TYPES_H
typedef struct devStream_st *devStream_t;
#endif
