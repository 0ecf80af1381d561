#version 450
// vk-02: dst[i] = src[i] * scale + bias for i < count; the input and the output
// come from two descriptor sets, the parameters from push constants.
layout(local_size_x = 32) in;
layout(push_constant) uniform Params { uint scale; uint bias; uint count; } params;
layout(std430, set = 0, binding = 0) readonly buffer Input { uint values[]; } src;
layout(std430, set = 1, binding = 0) buffer Output { uint values[]; } dst;
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < params.count) dst.values[i] = src.values[i] * params.scale + params.bias;
}
