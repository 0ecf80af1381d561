#version 450
// vk-03: one step of an iteration: state[i] = state[i] * 3 + round + (i % 7).
layout(local_size_x = 64) in;
layout(push_constant) uniform Params { uint round; } params;
layout(std430, set = 0, binding = 0) buffer State { uint values[]; } state;
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < state.values.length()) state.values[i] = state.values[i] * 3u + params.round + (i % 7u);
}
