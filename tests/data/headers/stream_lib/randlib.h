/* A fictional random-number / vector library layered on a device runtime, in the
 * style of the CUDA toolkit's libraries (tests/inference/test_stream_bound.cpp). */
#ifndef RANDLIB_H
#define RANDLIB_H
#include <stddef.h>
#include "devrt_types.h"

typedef enum { RL_OK = 0, RL_ERROR = 1 } rlStatus_t;
typedef struct rlContext *rlHandle_t;
typedef int rlPlan;
typedef struct { float re, im; } rlComplex;

rlStatus_t rlCreate(rlHandle_t *handle);
rlStatus_t rlDestroy(rlHandle_t handle);
rlStatus_t rlSetStream(rlHandle_t handle, devStream_t stream);
rlStatus_t rlGenerateUniform(rlHandle_t handle, float *outputPtr, size_t num);
rlStatus_t rlAxpy(rlHandle_t handle, int n, const float *alpha, const float *x, int incx, float *y, int incy);
rlStatus_t rlCscal(rlHandle_t handle, int n, const rlComplex *alpha, rlComplex *x, int incx);
rlStatus_t rlGroupedScale(rlHandle_t handle, const int group_size[], int group_count);
rlStatus_t rlCopyToHost(rlHandle_t handle, const float *src, float *hostBuffer, size_t count);
rlStatus_t rlGetVersion(rlHandle_t handle, int *version);
/* Complex numbers through typedefs of a typedef of a struct (cuComplex's chain). */
typedef struct rlFloat2 { float x, y; } rlFloat2;
typedef rlFloat2 rlFloatComplex;
typedef rlFloatComplex rlComplex2;
rlStatus_t rlCaxpy(rlHandle_t handle, int n, const rlComplex2 *x, int incx, rlComplex2 *y, int incy);
/* Device memory by name (dA, devInfo), with no companion; `d` alone is a diagonal. */
rlStatus_t rlFactor(rlHandle_t handle, int n, float *dA, int *devInfo, float *d);
/* Not bound to a stream: host<->device copies take no handle. */
rlStatus_t rlSetVector(int n, const float *x, int incx, float *devicePtr, int incy);

/* An integer plan bound the same way; making it takes host settings. */
rlStatus_t rlPlanSetStream(rlPlan plan, devStream_t stream);
rlStatus_t rlMakePlanMany(rlPlan plan, int rank, int *dims, size_t *workSize);
rlStatus_t rlExecute(rlPlan plan, float *data, size_t count);

/* A host library in the same header style: no stream, so its arrays are host memory. */
typedef struct hlContext *hlHandle_t;
rlStatus_t hlSetQueue(hlHandle_t handle, int queue);
rlStatus_t hlFill(hlHandle_t handle, float *out, size_t num);
#endif
