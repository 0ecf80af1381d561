/* Tagless enums and structs named by a typedef that also names a pointer to them
 * (libdrm's drm_context_tFlags): tests/inference/test_pointee_spelling.cpp. */
#ifndef TAGLESS_POINTEE_H
#define TAGLESS_POINTEE_H
typedef enum { TP_ONE = 1, TP_TWO = 2 } tp_flags_t, *tp_flags_ptr;
typedef struct { int x, y; } tp_point_t, *tp_point_ptr;
int tp_get_flags(int fd, tp_flags_ptr flags);
int tp_get_point(int fd, tp_point_ptr point);
tp_flags_ptr tp_default_flags(void);
#endif
