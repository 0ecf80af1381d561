/* 16: rectangular transfers: clEnqueueWriteBufferRect, clEnqueueCopyBufferRect
 * and clEnqueueReadBufferRect, whose origins and regions are size_t[3]; a read into the
 * middle of a padded host array leaves every byte around the block as it was. */
#include "common/sample_util.h"

enum { W = 32, H = 16 };  /* a W x H matrix of ints stored row-major on the device */

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);

  static cl_int zeros[W * H];
  cl_mem a = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof zeros, zeros);
  cl_mem b = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof zeros, zeros);

  /* Host block: 8 x 4 ints inside a host array with rows of 10 ints. */
  enum { HOST_PITCH = 10, BW = 8, BH = 4 };
  cl_int host_block[HOST_PITCH * BH];
  for (int i = 0; i < HOST_PITCH * BH; ++i) host_block[i] = (i % HOST_PITCH < BW) ? 1 + i : -99;
  size_t buffer_origin[3] = {3 * sizeof(cl_int), 2, 0};  /* column 3, row 2 (x in bytes) */
  size_t host_origin[3] = {0, 0, 0};
  size_t region[3] = {BW * sizeof(cl_int), BH, 1};
  CHECK(clEnqueueWriteBufferRect(queue, a, CL_TRUE, buffer_origin, host_origin, region, W * sizeof(cl_int), 0,
                                 HOST_PITCH * sizeof(cl_int), 0, host_block, 0, NULL, NULL));

  /* Copy that block to column 20, row 10 of b. */
  size_t dst_origin[3] = {20 * sizeof(cl_int), 10, 0};
  cl_event copied;
  CHECK(clEnqueueCopyBufferRect(queue, a, b, buffer_origin, dst_origin, region, W * sizeof(cl_int), 0,
                                W * sizeof(cl_int), 0, 0, NULL, &copied));

  cl_int whole[W * H];
  CHECK(clEnqueueReadBuffer(queue, b, CL_TRUE, 0, sizeof whole, whole, 1, &copied, NULL));
  long long sum = 0;
  for (int r = 0; r < H; ++r)
    for (int col = 0; col < W; ++col) {
      int inside = r >= 10 && r < 10 + BH && col >= 20 && col < 20 + BW;
      cl_int want = inside ? 1 + (r - 10) * HOST_PITCH + (col - 20) : 0;
      EXPECT(whole[r * W + col] == want, "b[%d][%d] = %d, expected %d", r, col, whole[r * W + col], want);
      sum += whole[r * W + col];
    }
  printf("write rect + copy rect: ok, sum %lld\n", sum);

  /* Read the block back out of b into a tightly packed host array. */
  cl_int packed[BW * BH];
  CHECK(clEnqueueReadBufferRect(queue, b, CL_TRUE, dst_origin, host_origin, region, W * sizeof(cl_int), 0,
                                BW * sizeof(cl_int), 0, packed, 0, NULL, NULL));
  for (int r = 0; r < BH; ++r)
    for (int col = 0; col < BW; ++col)
      EXPECT(packed[r * BW + col] == host_block[r * HOST_PITCH + col], "packed[%d][%d]", r, col);
  printf("read rect into packed array: ok, corners %d %d\n", packed[0], packed[BW * BH - 1]);

  /* Read it again into the middle of a padded host array (one row and one int in, rows of
   * HOST_PITCH ints): the call writes only the block, every int around it keeps its -7. */
  cl_int padded[HOST_PITCH * (BH + 2)];
  for (int i = 0; i < HOST_PITCH * (BH + 2); ++i) padded[i] = -7;
  size_t padded_origin[3] = {sizeof(cl_int), 1, 0};
  CHECK(clEnqueueReadBufferRect(queue, b, CL_TRUE, dst_origin, padded_origin, region, W * sizeof(cl_int), 0,
                                HOST_PITCH * sizeof(cl_int), 0, padded, 0, NULL, NULL));
  int kept = 0;
  for (int r = 0; r < BH + 2; ++r)
    for (int col = 0; col < HOST_PITCH; ++col) {
      int inside = r >= 1 && r < 1 + BH && col >= 1 && col < 1 + BW;
      cl_int want = inside ? host_block[(r - 1) * HOST_PITCH + (col - 1)] : -7;
      EXPECT(padded[r * HOST_PITCH + col] == want, "padded[%d][%d] = %d, expected %d", r, col,
             padded[r * HOST_PITCH + col], want);
      kept += !inside;
    }
  printf("read rect into padded array: ok, %d ints around it kept\n", kept);

  CHECK(clReleaseEvent(copied));
  CHECK(clReleaseMemObject(a));
  CHECK(clReleaseMemObject(b));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
