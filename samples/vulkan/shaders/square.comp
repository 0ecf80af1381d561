#version 450
// vk-01: out[i] = in[i] * in[i] + i, for i < n (n = the buffer's length).
layout(local_size_x = 64) in;
layout(std430, set = 0, binding = 0) readonly buffer Input { uint values[]; } src;
layout(std430, set = 0, binding = 1) writeonly buffer Output { uint values[]; } dst;
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < src.values.length()) dst.values[i] = src.values[i] * src.values[i] + i;
}
