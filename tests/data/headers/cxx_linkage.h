/* A header that leaves declarations outside its extern "C" block, as ALSA's error.h does
 * (tests/inference/test_pointee_spelling.cpp). */
#ifndef LK_H
#define LK_H
#ifdef __cplusplus
extern "C" {
#endif
int lk_add(int a, int b);
#ifdef __cplusplus
}
#endif
typedef int (*lk_cb_t)(int);
/* Left outside the guard, as ALSA's error.h does. */
int lk_twice(int a);
void lk_fill(int *out, int n);
#endif
