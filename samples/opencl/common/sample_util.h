/* Small helpers shared by the OpenCL samples.
 *
 * Everything here is plain OpenCL API use (no ICD tricks), so the samples run
 * the same natively and through a remoted libOpenCL. Diagnostics go to stderr;
 * stdout carries only deterministic results, because end-to-end tests compare
 * it byte for byte against samples/opencl/expected/. */
#ifndef REMORA_SAMPLES_OPENCL_SAMPLE_UTIL_H
#define REMORA_SAMPLES_OPENCL_SAMPLE_UTIL_H

#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort the sample with a message naming the failing call and its error code. */
#define CHECK(call)                                                              \
  do {                                                                           \
    cl_int check_err_ = (call);                                                  \
    if (check_err_ != CL_SUCCESS) {                                              \
      fprintf(stderr, "%s:%d: %s failed with %d\n", __FILE__, __LINE__, #call,   \
              (int)check_err_);                                                  \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

/* For calls that report errors through an out-parameter (clCreate*). */
#define CHECK_ERR(err, what)                                                     \
  do {                                                                           \
    if ((err) != CL_SUCCESS) {                                                   \
      fprintf(stderr, "%s:%d: %s failed with %d\n", __FILE__, __LINE__, (what),  \
              (int)(err));                                                       \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

/* A wrong result: say what differed and exit non-zero. */
#define EXPECT(cond, ...)                                                        \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);   \
      fprintf(stderr, __VA_ARGS__);                                              \
      fprintf(stderr, "\n");                                                     \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

/* The first device of the first platform that has one. */
static inline cl_device_id sample_pick_device(cl_platform_id *platform_out) {
  cl_uint num_platforms = 0;
  CHECK(clGetPlatformIDs(0, NULL, &num_platforms));
  EXPECT(num_platforms > 0, "no OpenCL platform (is pocl installed?)");
  cl_platform_id *platforms = (cl_platform_id *)calloc(num_platforms, sizeof(cl_platform_id));
  CHECK(clGetPlatformIDs(num_platforms, platforms, NULL));
  for (cl_uint i = 0; i < num_platforms; ++i) {
    cl_device_id device = NULL;
    cl_uint num_devices = 0;
    if (clGetDeviceIDs(platforms[i], CL_DEVICE_TYPE_ALL, 1, &device, &num_devices) == CL_SUCCESS &&
        num_devices > 0) {
      if (platform_out) *platform_out = platforms[i];
      free(platforms);
      return device;
    }
  }
  free(platforms);
  fprintf(stderr, "no OpenCL device found on %u platform(s)\n", num_platforms);
  exit(1);
}

/* A context with one device and no properties. */
static inline cl_context sample_create_context(cl_device_id device) {
  cl_int err = CL_SUCCESS;
  cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
  CHECK_ERR(err, "clCreateContext");
  return context;
}

/* An in-order queue; `properties` is a cl_command_queue_properties bitfield. */
static inline cl_command_queue sample_create_queue(cl_context context, cl_device_id device,
                                                   cl_command_queue_properties properties) {
  cl_queue_properties props[] = {CL_QUEUE_PROPERTIES, (cl_queue_properties)properties, 0};
  cl_int err = CL_SUCCESS;
  cl_command_queue queue =
      clCreateCommandQueueWithProperties(context, device, properties ? props : NULL, &err);
  CHECK_ERR(err, "clCreateCommandQueueWithProperties");
  return queue;
}

/* Print the build log (to stderr) and exit when a build fails. */
static inline void sample_build_or_die(cl_program program, cl_device_id device, const char *options) {
  cl_int err = clBuildProgram(program, 1, &device, options, NULL, NULL);
  if (err == CL_SUCCESS) return;
  size_t log_size = 0;
  clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, NULL, &log_size);
  char *log = (char *)calloc(log_size + 1, 1);
  clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log_size, log, NULL);
  fprintf(stderr, "clBuildProgram failed with %d:\n%s\n", (int)err, log);
  free(log);
  exit(1);
}

/* Create and build a program from one NUL-terminated source string. */
static inline cl_program sample_build_program(cl_context context, cl_device_id device,
                                              const char *source, const char *options) {
  cl_int err = CL_SUCCESS;
  cl_program program = clCreateProgramWithSource(context, 1, &source, NULL, &err);
  CHECK_ERR(err, "clCreateProgramWithSource");
  sample_build_or_die(program, device, options);
  return program;
}

static inline cl_kernel sample_create_kernel(cl_program program, const char *name) {
  cl_int err = CL_SUCCESS;
  cl_kernel kernel = clCreateKernel(program, name, &err);
  CHECK_ERR(err, name);
  return kernel;
}

static inline cl_mem sample_create_buffer(cl_context context, cl_mem_flags flags, size_t size,
                                          void *host_ptr) {
  cl_int err = CL_SUCCESS;
  cl_mem mem = clCreateBuffer(context, flags, size, host_ptr, &err);
  CHECK_ERR(err, "clCreateBuffer");
  return mem;
}

#endif
