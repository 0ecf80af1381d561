/* A fictional sensor API for the cacheable-from-docs rule (tests/inference/test_cacheable_docs.cpp);
 * its reference is sensor.md beside it. */
#ifndef SENSOR_H
#define SENSOR_H
#include <stddef.h>

typedef enum { SN_SUCCESS = 0, SN_ERROR = -1 } snStatus;
typedef struct snDevice_st *snDevice;

snStatus snOpen(const char *name, snDevice *device);
snStatus snClose(snDevice device);
snStatus snGetSerial(snDevice device, char *serial, size_t serial_size);
snStatus snGetRange(snDevice device, double *min_value, double *max_value);
snStatus snGetReading(snDevice device, double *value);
snStatus snGetMode(snDevice device, int *mode);
snStatus snSetMode(snDevice device, int mode);
#endif
