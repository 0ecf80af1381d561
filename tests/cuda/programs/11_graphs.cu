// CUDA graphs by stream capture: a device-to-device copy, a memset and two
// kernels captured into a graph, instantiated once and launched several times
// with new input copied in between launches; the node count of the captured
// graph. (Host copies stay outside the graph: capturing a copy from pageable
// host memory is not supported by CUDA.)
#include <vector>

#include "program_check.h"

__global__ void add(int* v, int n, int k) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] += k;
}

__global__ void twice(int* v, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] *= 2;
}

int main() {
  use_first_device();
  const int n = 4096;
  std::vector<int> in(n), out(n), want(n);
  int *d = nullptr, *staging = nullptr, *scratch = nullptr;
  CHECK(cudaMalloc(&d, n * sizeof(int)));
  CHECK(cudaMalloc(&staging, n * sizeof(int)));
  CHECK(cudaMalloc(&scratch, n * sizeof(int)));
  cudaStream_t s;
  CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));

  cudaGraph_t graph;
  CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  cudaStreamCaptureStatus status;
  CHECK(cudaStreamIsCapturing(s, &status));
  std::printf("capturing: %s\n", status == cudaStreamCaptureStatusActive ? "yes" : "no");
  CHECK(cudaMemcpyAsync(d, staging, n * sizeof(int), cudaMemcpyDeviceToDevice, s));
  CHECK(cudaMemsetAsync(scratch, 0, n * sizeof(int), s));
  add<<<(n + 255) / 256, 256, 0, s>>>(d, n, 5);
  CHECK(cudaGetLastError());
  twice<<<(n + 255) / 256, 256, 0, s>>>(d, n);
  CHECK(cudaGetLastError());
  CHECK(cudaStreamEndCapture(s, &graph));
  CHECK(cudaStreamIsCapturing(s, &status));
  std::printf("capturing after the end: %s\n",
              status == cudaStreamCaptureStatusNone ? "no" : "yes");

  size_t nodes = 0;
  CHECK(cudaGraphGetNodes(graph, nullptr, &nodes));
  std::printf("graph nodes: %zu\n", nodes);
  cudaGraphExec_t exec;
  CHECK(cudaGraphInstantiate(&exec, graph, 0));

  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < n; ++i) in[i] = i * (round + 1) - 1000;
    CHECK(cudaMemcpy(staging, in.data(), n * sizeof(int), cudaMemcpyHostToDevice));
    CHECK(cudaGraphLaunch(exec, s));
    CHECK(cudaStreamSynchronize(s));
    CHECK(cudaMemcpy(out.data(), d, n * sizeof(int), cudaMemcpyDeviceToHost));
    for (int i = 0; i < n; ++i) want[i] = (in[i] + 5) * 2;
    char what[32];
    std::snprintf(what, sizeof what, "graph launch %d", round);
    EXPECT_SAME(what, out.data(), want.data(), n);
  }

  CHECK(cudaGraphExecDestroy(exec));
  CHECK(cudaGraphDestroy(graph));
  CHECK(cudaStreamDestroy(s));
  CHECK(cudaFree(d));
  CHECK(cudaFree(staging));
  CHECK(cudaFree(scratch));
  std::printf("done\n");
  return 0;
}
