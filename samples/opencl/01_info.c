/* 01: platform / device / context info queries.
 *
 * Exercises the query-size-then-fill pattern (size_t *param_value_size_ret
 * first, then a buffer of that size), string results, arrays of handles and
 * arrays of size_t. Device-specific text goes to stderr only. */
#include "common/sample_util.h"

static char *query_platform_string(cl_platform_id platform, cl_platform_info what) {
  size_t size = 0;
  CHECK(clGetPlatformInfo(platform, what, 0, NULL, &size));
  EXPECT(size > 0, "empty size for platform info 0x%x", (unsigned)what);
  char *value = (char *)calloc(size, 1);
  CHECK(clGetPlatformInfo(platform, what, size, value, NULL));
  EXPECT(value[size - 1] == '\0', "platform string not NUL-terminated");
  return value;
}

static char *query_device_string(cl_device_id device, cl_device_info what) {
  size_t size = 0;
  CHECK(clGetDeviceInfo(device, what, 0, NULL, &size));
  char *value = (char *)calloc(size + 1, 1);
  CHECK(clGetDeviceInfo(device, what, size, value, NULL));
  return value;
}

int main(void) {
  cl_uint num_platforms = 0;
  CHECK(clGetPlatformIDs(0, NULL, &num_platforms));
  EXPECT(num_platforms >= 1, "no platforms");
  printf("platforms >= 1: yes\n");
  cl_platform_id *platforms = (cl_platform_id *)calloc(num_platforms, sizeof(cl_platform_id));
  CHECK(clGetPlatformIDs(num_platforms, platforms, NULL));

  cl_platform_id platform = NULL;
  cl_device_id device = sample_pick_device(&platform);

  char *name = query_platform_string(platform, CL_PLATFORM_NAME);
  char *vendor = query_platform_string(platform, CL_PLATFORM_VENDOR);
  char *version = query_platform_string(platform, CL_PLATFORM_VERSION);
  char *profile = query_platform_string(platform, CL_PLATFORM_PROFILE);
  fprintf(stderr, "platform: %s / %s / %s / %s\n", name, vendor, version, profile);
  printf("platform name non-empty: %s\n", name[0] ? "yes" : "no");
  EXPECT(strncmp(version, "OpenCL ", 7) == 0, "version '%s'", version);
  printf("platform version starts with 'OpenCL ': yes\n");
  EXPECT(strcmp(profile, "FULL_PROFILE") == 0 || strcmp(profile, "EMBEDDED_PROFILE") == 0,
         "profile '%s'", profile);
  printf("platform profile valid: yes\n");

  /* A buffer too small for the value must be rejected, not overrun. */
  char tiny[2];
  cl_int err = clGetPlatformInfo(platform, CL_PLATFORM_VERSION, sizeof tiny, tiny, NULL);
  EXPECT(err == CL_INVALID_VALUE, "expected CL_INVALID_VALUE, got %d", (int)err);
  printf("too-small buffer rejected: yes\n");

  cl_uint num_devices = 0;
  CHECK(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, NULL, &num_devices));
  EXPECT(num_devices >= 1, "no devices");
  cl_device_id *devices = (cl_device_id *)calloc(num_devices, sizeof(cl_device_id));
  CHECK(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, num_devices, devices, NULL));
  EXPECT(devices[0] == device, "device list changed between calls");
  printf("devices >= 1: yes\n");

  cl_device_type type = 0;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_TYPE, sizeof type, &type, NULL));
  printf("device type non-zero: %s\n", type ? "yes" : "no");

  cl_platform_id device_platform = NULL;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_PLATFORM, sizeof device_platform, &device_platform, NULL));
  EXPECT(device_platform == platform, "CL_DEVICE_PLATFORM mismatch");
  printf("device platform matches: yes\n");

  cl_uint dims = 0;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS, sizeof dims, &dims, NULL));
  EXPECT(dims >= 3, "dims %u", dims);
  size_t sizes_bytes = 0;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_SIZES, 0, NULL, &sizes_bytes));
  EXPECT(sizes_bytes == dims * sizeof(size_t), "work item sizes: %zu bytes", sizes_bytes);
  size_t *item_sizes = (size_t *)calloc(dims, sizeof(size_t));
  CHECK(clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizes_bytes, item_sizes, NULL));
  for (cl_uint d = 0; d < dims; ++d) EXPECT(item_sizes[d] >= 1, "item size %u is 0", d);
  printf("max work item sizes: %u entries, all >= 1\n", dims);

  cl_ulong global_mem = 0;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global_mem, &global_mem, NULL));
  printf("global mem > 0: %s\n", global_mem > 0 ? "yes" : "no");

  cl_bool available = CL_FALSE;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_AVAILABLE, sizeof available, &available, NULL));
  printf("device available: %s\n", available ? "yes" : "no");

  char *device_name = query_device_string(device, CL_DEVICE_NAME);
  char *extensions = query_device_string(device, CL_DEVICE_EXTENSIONS);
  fprintf(stderr, "device: %s\nextensions: %s\n", device_name, extensions);
  printf("device name non-empty: %s\n", device_name[0] ? "yes" : "no");

  /* Context: properties are a 0-terminated list of (name, value) pairs. */
  cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)platform, 0};
  cl_context context = clCreateContext(props, 1, &device, NULL, NULL, &err);
  CHECK_ERR(err, "clCreateContext");
  cl_uint ctx_devices = 0;
  CHECK(clGetContextInfo(context, CL_CONTEXT_NUM_DEVICES, sizeof ctx_devices, &ctx_devices, NULL));
  size_t devices_bytes = 0;
  CHECK(clGetContextInfo(context, CL_CONTEXT_DEVICES, 0, NULL, &devices_bytes));
  EXPECT(devices_bytes == ctx_devices * sizeof(cl_device_id), "context devices: %zu bytes", devices_bytes);
  cl_device_id *ctx_device_list = (cl_device_id *)calloc(ctx_devices, sizeof(cl_device_id));
  CHECK(clGetContextInfo(context, CL_CONTEXT_DEVICES, devices_bytes, ctx_device_list, NULL));
  EXPECT(ctx_device_list[0] == device, "context device mismatch");
  printf("context devices: %u, first matches: yes\n", ctx_devices);

  size_t props_bytes = 0;
  CHECK(clGetContextInfo(context, CL_CONTEXT_PROPERTIES, 0, NULL, &props_bytes));
  EXPECT(props_bytes == sizeof props, "context properties: %zu bytes", props_bytes);
  cl_context_properties got_props[3] = {0, 0, 0};
  CHECK(clGetContextInfo(context, CL_CONTEXT_PROPERTIES, sizeof got_props, got_props, NULL));
  EXPECT(got_props[0] == CL_CONTEXT_PLATFORM && got_props[1] == (cl_context_properties)platform &&
             got_props[2] == 0,
         "context properties differ");
  printf("context properties round-trip: yes\n");

  CHECK(clRetainContext(context));
  cl_uint refs = 0;
  CHECK(clGetContextInfo(context, CL_CONTEXT_REFERENCE_COUNT, sizeof refs, &refs, NULL));
  printf("context reference count after retain: %u\n", refs);
  CHECK(clReleaseContext(context));
  CHECK(clReleaseContext(context));

  free(ctx_device_list);
  free(device_name);
  free(extensions);
  free(item_sizes);
  free(devices);
  free(name);
  free(vendor);
  free(version);
  free(profile);
  free(platforms);
  printf("info: ok\n");
  return 0;
}
