/* 05: every kind of OpenCL callback, with user data.
 *
 * Callbacks may run on implementation threads, so results are recorded in
 * atomics and printed by main once each callback is known to have run (or a
 * bounded wait expired, which is a failure). */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "common/sample_util.h"

#include <stdatomic.h>
#include <time.h>

typedef struct {
  const char *tag;
  atomic_int calls;
  atomic_int status;   /* event callbacks: the execution status they saw */
  atomic_int user_ok;  /* user_data pointed back at this record */
} callback_record;

static callback_record context_record = {"context", 0, 0, 0};
static callback_record build_record = {"build", 0, 0, 0};
static callback_record kernel_event_record = {"kernel event", 0, 0, 0};
static callback_record user_event_record = {"user event", 0, 0, 0};
static callback_record destructor_record = {"destructor", 0, 0, 0};

static void CL_CALLBACK on_context_error(const char *errinfo, const void *private_info, size_t cb,
                                         void *user_data) {
  (void)private_info;
  (void)cb;
  callback_record *record = (callback_record *)user_data;
  fprintf(stderr, "context notify: %s\n", errinfo ? errinfo : "(null)");
  atomic_store(&record->user_ok, record == &context_record);
  atomic_fetch_add(&record->calls, 1);
}

static void CL_CALLBACK on_build_done(cl_program program, void *user_data) {
  callback_record *record = (callback_record *)user_data;
  atomic_store(&record->user_ok, record == &build_record && program != NULL);
  atomic_fetch_add(&record->calls, 1);
}

static void CL_CALLBACK on_event(cl_event event, cl_int status, void *user_data) {
  callback_record *record = (callback_record *)user_data;
  (void)event;
  atomic_store(&record->status, status);
  atomic_store(&record->user_ok, record == &kernel_event_record || record == &user_event_record);
  atomic_fetch_add(&record->calls, 1);
}

static void CL_CALLBACK on_mem_destroyed(cl_mem memobj, void *user_data) {
  callback_record *record = (callback_record *)user_data;
  (void)memobj;
  atomic_store(&record->user_ok, record == &destructor_record);
  atomic_fetch_add(&record->calls, 1);
}

/* Wait up to ~5 s for a callback; callbacks may be delivered asynchronously. */
static int wait_for_call(callback_record *record) {
  for (int i = 0; i < 5000 && atomic_load(&record->calls) == 0; ++i) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  return atomic_load(&record->calls) > 0;
}

static const char *status_name(int status) {
  switch (status) {
    case CL_COMPLETE: return "CL_COMPLETE";
    case CL_RUNNING: return "CL_RUNNING";
    case CL_SUBMITTED: return "CL_SUBMITTED";
    case CL_QUEUED: return "CL_QUEUED";
    default: return status < 0 ? "error" : "unknown";
  }
}

static const char *kSource =
    "__kernel void twice(__global int *v) { v[get_global_id(0)] = 2 * (int)get_global_id(0); }\n";

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_int err = CL_SUCCESS;
  cl_context context = clCreateContext(NULL, 1, &device, on_context_error, &context_record, &err);
  CHECK_ERR(err, "clCreateContext");
  /* Whether the context callback ever fires is implementation-defined; only
   * report that it was accepted. */
  printf("context callback registered: yes\n");
  cl_command_queue queue = sample_create_queue(context, device, 0);

  cl_program program = clCreateProgramWithSource(context, 1, &kSource, NULL, &err);
  CHECK_ERR(err, "clCreateProgramWithSource");
  CHECK(clBuildProgram(program, 1, &device, NULL, on_build_done, &build_record));
  EXPECT(wait_for_call(&build_record), "build callback never ran");
  cl_build_status build_status = CL_BUILD_NONE;
  CHECK(clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_STATUS, sizeof build_status, &build_status, NULL));
  EXPECT(build_status == CL_BUILD_SUCCESS, "build status %d", (int)build_status);
  printf("build callback: calls %d, user_data ok: %s, build status: success\n",
         atomic_load(&build_record.calls), atomic_load(&build_record.user_ok) ? "yes" : "no");

  cl_kernel kernel = sample_create_kernel(program, "twice");
  enum { N = 256 };
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE, N * sizeof(cl_int), NULL);
  CHECK(clSetMemObjectDestructorCallback(buf, on_mem_destroyed, &destructor_record));
  CHECK(clSetKernelArg(kernel, 0, sizeof buf, &buf));

  /* A user event gates the kernel, so the kernel's callback is registered
   * before the kernel can possibly complete. */
  cl_event gate = clCreateUserEvent(context, &err);
  CHECK_ERR(err, "clCreateUserEvent");
  CHECK(clSetEventCallback(gate, CL_COMPLETE, on_event, &user_event_record));
  size_t global = N;
  cl_event kernel_done = NULL;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 1, &gate, &kernel_done));
  CHECK(clSetEventCallback(kernel_done, CL_COMPLETE, on_event, &kernel_event_record));
  CHECK(clFlush(queue));
  printf("kernel callback before gate opened: %d calls\n", atomic_load(&kernel_event_record.calls));
  CHECK(clSetUserEventStatus(gate, CL_COMPLETE));

  CHECK(clWaitForEvents(1, &kernel_done));
  CHECK(clFinish(queue));
  EXPECT(wait_for_call(&user_event_record), "user event callback never ran");
  EXPECT(wait_for_call(&kernel_event_record), "kernel event callback never ran");
  printf("user event callback: calls %d, status %s, user_data ok: %s\n",
         atomic_load(&user_event_record.calls), status_name(atomic_load(&user_event_record.status)),
         atomic_load(&user_event_record.user_ok) ? "yes" : "no");
  printf("kernel event callback: calls %d, status %s, user_data ok: %s\n",
         atomic_load(&kernel_event_record.calls), status_name(atomic_load(&kernel_event_record.status)),
         atomic_load(&kernel_event_record.user_ok) ? "yes" : "no");

  cl_int out[N];
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == 2 * i, "out[%d] = %d", i, out[i]);
  printf("kernel result: ok\n");

  CHECK(clReleaseEvent(kernel_done));
  CHECK(clReleaseEvent(gate));
  CHECK(clReleaseKernel(kernel));
  printf("destructor callback before release: %d calls\n", atomic_load(&destructor_record.calls));
  CHECK(clReleaseMemObject(buf));
  EXPECT(wait_for_call(&destructor_record), "destructor callback never ran");
  printf("destructor callback after release: calls %d, user_data ok: %s\n",
         atomic_load(&destructor_record.calls), atomic_load(&destructor_record.user_ok) ? "yes" : "no");

  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
