/* 08: 2D images, image formats, and a sampler passed as a kernel argument. */
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void invert(__read_only image2d_t src, __write_only image2d_t dst, sampler_t smp) {\n"
    "  int2 pos = (int2)(get_global_id(0), get_global_id(1));\n"
    "  float4 p = read_imagef(src, smp, pos);\n"
    "  write_imagef(dst, pos, (float4)(1.0f) - p);\n"
    "}\n";

enum { W = 64, H = 32 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_bool images = CL_FALSE;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_IMAGE_SUPPORT, sizeof images, &images, NULL));
  if (!images) {
    printf("images unsupported\n");
    return 0;
  }
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);

  cl_uint num_formats = 0;
  CHECK(clGetSupportedImageFormats(context, CL_MEM_READ_WRITE, CL_MEM_OBJECT_IMAGE2D, 0, NULL, &num_formats));
  EXPECT(num_formats > 0, "no 2D image formats");
  cl_image_format *formats = (cl_image_format *)calloc(num_formats, sizeof(cl_image_format));
  CHECK(clGetSupportedImageFormats(context, CL_MEM_READ_WRITE, CL_MEM_OBJECT_IMAGE2D, num_formats, formats, NULL));
  int has_rgba_float = 0;
  for (cl_uint i = 0; i < num_formats; ++i)
    if (formats[i].image_channel_order == CL_RGBA && formats[i].image_channel_data_type == CL_FLOAT) has_rgba_float = 1;
  EXPECT(has_rgba_float, "CL_RGBA/CL_FLOAT is required by the spec but missing");
  printf("image formats listed, RGBA/FLOAT present: yes\n");

  cl_image_format format = {CL_RGBA, CL_FLOAT};
  cl_image_desc desc;
  memset(&desc, 0, sizeof desc);
  desc.image_type = CL_MEM_OBJECT_IMAGE2D;
  desc.image_width = W;
  desc.image_height = H;
  cl_int err = CL_SUCCESS;
  cl_mem src = clCreateImage(context, CL_MEM_READ_ONLY, &format, &desc, NULL, &err);
  CHECK_ERR(err, "clCreateImage(src)");
  cl_mem dst = clCreateImage(context, CL_MEM_WRITE_ONLY, &format, &desc, NULL, &err);
  CHECK_ERR(err, "clCreateImage(dst)");

  size_t width = 0, height = 0, element = 0;
  CHECK(clGetImageInfo(src, CL_IMAGE_WIDTH, sizeof width, &width, NULL));
  CHECK(clGetImageInfo(src, CL_IMAGE_HEIGHT, sizeof height, &height, NULL));
  CHECK(clGetImageInfo(src, CL_IMAGE_ELEMENT_SIZE, sizeof element, &element, NULL));
  printf("image %zux%zu, element size %zu\n", width, height, element);

  static float pixels[W * H * 4], result[W * H * 4];
  for (int i = 0; i < W * H * 4; ++i) pixels[i] = (float)(i % 16) / 16.0f;
  size_t origin[3] = {0, 0, 0}, region[3] = {W, H, 1};
  CHECK(clEnqueueWriteImage(queue, src, CL_TRUE, origin, region, 0, 0, pixels, 0, NULL, NULL));

  cl_sampler_properties sampler_props[] = {CL_SAMPLER_NORMALIZED_COORDS, CL_FALSE,
                                           CL_SAMPLER_ADDRESSING_MODE, CL_ADDRESS_CLAMP_TO_EDGE,
                                           CL_SAMPLER_FILTER_MODE, CL_FILTER_NEAREST, 0};
  cl_sampler sampler = clCreateSamplerWithProperties(context, sampler_props, &err);
  CHECK_ERR(err, "clCreateSamplerWithProperties");

  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "invert");
  CHECK(clSetKernelArg(kernel, 0, sizeof src, &src));
  CHECK(clSetKernelArg(kernel, 1, sizeof dst, &dst));
  CHECK(clSetKernelArg(kernel, 2, sizeof sampler, &sampler));
  size_t global[2] = {W, H};
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 2, NULL, global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadImage(queue, dst, CL_TRUE, origin, region, 0, 0, result, 0, NULL, NULL));

  double sum = 0.0;
  for (int i = 0; i < W * H * 4; ++i) {
    EXPECT(result[i] == 1.0f - pixels[i], "pixel component %d = %f", i, result[i]);
    sum += result[i];
  }
  printf("inverted image: ok, sum %.4f\n", sum);

  /* Copy a sub-rectangle image-to-image and read one pixel back. */
  size_t src_origin[3] = {8, 4, 0}, dst_origin[3] = {0, 0, 0}, copy_region[3] = {4, 4, 1};
  CHECK(clEnqueueCopyImage(queue, dst, src, src_origin, dst_origin, copy_region, 0, NULL, NULL));
  float pixel[4];
  size_t one[3] = {1, 1, 1};
  CHECK(clEnqueueReadImage(queue, src, CL_TRUE, dst_origin, one, 0, 0, pixel, 0, NULL, NULL));
  const float *want = &result[(4 * W + 8) * 4];
  EXPECT(pixel[0] == want[0] && pixel[3] == want[3], "copied pixel differs");
  printf("image copy: ok, pixel %.4f %.4f %.4f %.4f\n", pixel[0], pixel[1], pixel[2], pixel[3]);

  /* An 8-bit RGBA image initialised from padded host rows (CL_MEM_COPY_HOST_PTR), read back
     into rows with a different pitch: the bytes between the rows must stay untouched. */
  enum { PW = 5, PH = 3, IN_PITCH = PW * 4 + 4, OUT_PITCH = PW * 4 + 8 };
  unsigned char *texels = malloc(IN_PITCH * PH);
  for (int i = 0; i < IN_PITCH * PH; ++i) texels[i] = (unsigned char)(i * 7);
  cl_image_format rgba8 = {CL_RGBA, CL_UNORM_INT8};
  cl_image_desc padded;
  memset(&padded, 0, sizeof padded);
  padded.image_type = CL_MEM_OBJECT_IMAGE2D;
  padded.image_width = PW;
  padded.image_height = PH;
  padded.image_row_pitch = IN_PITCH;
  cl_mem copied = clCreateImage(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, &rgba8, &padded, texels, &err);
  CHECK_ERR(err, "clCreateImage(CL_MEM_COPY_HOST_PTR)");
  unsigned char back[OUT_PITCH * PH];
  memset(back, 0xAB, sizeof back);
  size_t padded_region[3] = {PW, PH, 1};
  CHECK(clEnqueueReadImage(queue, copied, CL_TRUE, origin, padded_region, OUT_PITCH, 0, back, 0, NULL, NULL));
  unsigned texel_sum = 0;
  for (int y = 0; y < PH; ++y) {
    for (int x = 0; x < PW * 4; ++x) {
      EXPECT(back[y * OUT_PITCH + x] == texels[y * IN_PITCH + x], "texel byte %d,%d differs", x, y);
      texel_sum += back[y * OUT_PITCH + x];
    }
    for (int x = PW * 4; x < OUT_PITCH; ++x)
      EXPECT(back[y * OUT_PITCH + x] == 0xAB, "padding byte %d of row %d was overwritten", x, y);
  }
  printf("8-bit image from host rows: ok, sum %u, row padding kept\n", texel_sum);
  size_t map_row_pitch = 0;
  unsigned char *mapped = clEnqueueMapImage(queue, copied, CL_TRUE, CL_MAP_READ, origin, padded_region,
                                            &map_row_pitch, NULL, 0, NULL, NULL, &err);
  CHECK_ERR(err, "clEnqueueMapImage");
  for (int y = 0; y < PH; ++y)
    for (int x = 0; x < PW * 4; ++x)
      EXPECT(mapped[y * map_row_pitch + x] == texels[y * IN_PITCH + x], "mapped byte %d,%d differs", x, y);
  CHECK(clEnqueueUnmapMemObject(queue, copied, mapped, 0, NULL, NULL));
  CHECK(clFinish(queue));
  printf("mapped 8-bit image: ok (row pitch >= %d)\n", PW * 4);
  free(texels);
  CHECK(clReleaseMemObject(copied));

  CHECK(clReleaseSampler(sampler));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseMemObject(src));
  CHECK(clReleaseMemObject(dst));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  free(formats);
  return 0;
}
