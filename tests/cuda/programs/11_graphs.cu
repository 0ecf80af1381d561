// CUDA graphs by stream capture: copy in, two kernels and copy out captured
// into a graph, instantiated once and launched several times with the input
// changed between launches; the node count of the captured graph.
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
  int* d = nullptr;
  CHECK(cudaMalloc(&d, n * sizeof(int)));
  cudaStream_t s;
  CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));

  cudaGraph_t graph;
  CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
  cudaStreamCaptureStatus status;
  CHECK(cudaStreamIsCapturing(s, &status));
  std::printf("capturing: %s\n", status == cudaStreamCaptureStatusActive ? "yes" : "no");
  CHECK(cudaMemcpyAsync(d, in.data(), n * sizeof(int), cudaMemcpyHostToDevice, s));
  add<<<(n + 255) / 256, 256, 0, s>>>(d, n, 5);
  CHECK(cudaGetLastError());
  twice<<<(n + 255) / 256, 256, 0, s>>>(d, n);
  CHECK(cudaGetLastError());
  CHECK(cudaMemcpyAsync(out.data(), d, n * sizeof(int), cudaMemcpyDeviceToHost, s));
  CHECK(cudaStreamEndCapture(s, &graph));

  size_t nodes = 0;
  CHECK(cudaGraphGetNodes(graph, nullptr, &nodes));
  std::printf("graph nodes: %zu\n", nodes);
  cudaGraphExec_t exec;
  CHECK(cudaGraphInstantiate(&exec, graph, 0));

  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < n; ++i) in[i] = i * (round + 1) - 1000;
    CHECK(cudaGraphLaunch(exec, s));
    CHECK(cudaStreamSynchronize(s));
    for (int i = 0; i < n; ++i) want[i] = (in[i] + 5) * 2;
    char what[32];
    std::snprintf(what, sizeof what, "graph launch %d", round);
    EXPECT_SAME(what, out.data(), want.data(), n);
  }

  CHECK(cudaGraphExecDestroy(exec));
  CHECK(cudaGraphDestroy(graph));
  CHECK(cudaStreamDestroy(s));
  CHECK(cudaFree(d));
  std::printf("done\n");
  return 0;
}
