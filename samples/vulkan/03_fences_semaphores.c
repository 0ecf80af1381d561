/* vk-03-fences-semaphores: several dispatches ordered by semaphores and fences,
 * with memory mapped once and used across many later calls. Each round the host
 * changes the state through its persistent mapping (flushed), a dispatch steps the
 * state, a second submit waits on the first one's semaphore and copies the state
 * into a result buffer, and the host waits on a fence, invalidates and reads the
 * result through its own persistent mapping. The last round puts both batches in
 * one vkQueueSubmit. A CPU mirror checks every element of every round.
 * Exercises: persistent mappings (vkFlushMappedMemoryRanges,
 * vkInvalidateMappedMemoryRanges), semaphores between submits, fences
 * (vkWaitForFences, vkGetFenceStatus, vkResetFences), re-recording command buffers. */
#include "common/vk_sample.h"
#include "step.spv.h"

enum { N = 4096, ROUNDS = 5 };

static void cpu_step(uint32_t *state, uint32_t round) {
  for (uint32_t i = 0; i < N; ++i) state[i] = state[i] * 3u + round + (i % 7u);
}

int main(void) {
  VkSampleContext ctx;
  vk_sample_init(&ctx, "vk-03-fences-semaphores");
  const VkMemoryPropertyFlags host = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
  VkSampleBuffer state = vk_sample_buffer(
      &ctx, N * sizeof(uint32_t), VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT, host);
  VkSampleBuffer result = vk_sample_buffer(&ctx, N * sizeof(uint32_t), VK_BUFFER_USAGE_TRANSFER_DST_BIT, host);

  /* Mapped once, used by every round below, unmapped at the end. */
  uint32_t *state_map = NULL, *result_map = NULL;
  VK_CHECK(vkMapMemory(ctx.device, state.memory, 0, state.size, 0, (void **)&state_map));
  VK_CHECK(vkMapMemory(ctx.device, result.memory, 0, result.size, 0, (void **)&result_map));
  uint32_t *mirror = (uint32_t *)calloc(N, sizeof(uint32_t));
  for (uint32_t i = 0; i < N; ++i) mirror[i] = state_map[i] = i;
  VkMappedMemoryRange state_range = {VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE, NULL, state.memory, 0, VK_WHOLE_SIZE};
  VkMappedMemoryRange result_range = {VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE, NULL, result.memory, 0,
                                      VK_WHOLE_SIZE};
  VK_CHECK(vkFlushMappedMemoryRanges(ctx.device, 1, &state_range));

  VkDescriptorSetLayout set_layout = vk_sample_storage_layout(&ctx, 1);
  VkPushConstantRange range = {VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(uint32_t)};
  VkPipelineLayoutCreateInfo plci = {VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, NULL, 0, 1, &set_layout, 1,
                                     &range};
  VkPipelineLayout layout;
  VK_CHECK(vkCreatePipelineLayout(ctx.device, &plci, NULL, &layout));
  VkShaderModule module = vk_sample_shader(&ctx, step_spv, sizeof(step_spv));
  VkPipeline pipeline = vk_sample_pipeline(&ctx, module, layout);
  VkDescriptorPoolSize pool_size = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1};
  VkDescriptorPoolCreateInfo dpci = {VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, NULL, 0, 1, 1, &pool_size};
  VkDescriptorPool pool;
  VK_CHECK(vkCreateDescriptorPool(ctx.device, &dpci, NULL, &pool));
  VkDescriptorSetAllocateInfo dsai = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO, NULL, pool, 1, &set_layout};
  VkDescriptorSet set;
  VK_CHECK(vkAllocateDescriptorSets(ctx.device, &dsai, &set));
  VkDescriptorBufferInfo info = {state.buffer, 0, VK_WHOLE_SIZE};
  VkWriteDescriptorSet w = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, NULL, set, 0, 0, 1,
                            VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, NULL, &info, NULL};
  vkUpdateDescriptorSets(ctx.device, 1, &w, 0, NULL);

  VkCommandPool cmd_pool;
  VkCommandBuffer step_cb = vk_sample_command_buffer(&ctx, &cmd_pool);
  VkCommandBufferAllocateInfo cbai = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO, NULL, cmd_pool,
                                      VK_COMMAND_BUFFER_LEVEL_PRIMARY, 1};
  VkCommandBuffer copy_cb;
  VK_CHECK(vkAllocateCommandBuffers(ctx.device, &cbai, &copy_cb));
  VkCommandBufferBeginInfo begin = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO, NULL, 0, NULL};
  VK_CHECK(vkBeginCommandBuffer(copy_cb, &begin));
  VkBufferCopy region = {0, 0, N * sizeof(uint32_t)};
  vkCmdCopyBuffer(copy_cb, state.buffer, result.buffer, 1, &region);
  vk_sample_barrier(copy_cb);
  VK_CHECK(vkEndCommandBuffer(copy_cb));

  VkSemaphoreCreateInfo sci = {VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, NULL, 0};
  VkSemaphore stepped;
  VK_CHECK(vkCreateSemaphore(ctx.device, &sci, NULL, &stepped));
  VkFenceCreateInfo fci = {VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, NULL, 0};
  VkFence done;
  VK_CHECK(vkCreateFence(ctx.device, &fci, NULL, &done));
  EXPECT(vkGetFenceStatus(ctx.device, done) == VK_NOT_READY, "a new fence is unsignalled");

  for (uint32_t round = 1; round <= ROUNDS; ++round) {
    /* The host changes one element through the persistent mapping. */
    state_map[round] = mirror[round] = 1000u * round;
    VK_CHECK(vkFlushMappedMemoryRanges(ctx.device, 1, &state_range));

    VK_CHECK(vkResetCommandBuffer(step_cb, 0));
    VK_CHECK(vkBeginCommandBuffer(step_cb, &begin));
    vkCmdBindPipeline(step_cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
    vkCmdBindDescriptorSets(step_cb, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, NULL);
    vkCmdPushConstants(step_cb, layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(round), &round);
    vkCmdDispatch(step_cb, N / 64, 1, 1);
    vk_sample_barrier(step_cb);
    VK_CHECK(vkEndCommandBuffer(step_cb));

    VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
    VkSubmitInfo step_submit = {VK_STRUCTURE_TYPE_SUBMIT_INFO, NULL, 0, NULL, NULL, 1, &step_cb, 1, &stepped};
    VkSubmitInfo copy_submit = {VK_STRUCTURE_TYPE_SUBMIT_INFO, NULL, 1, &stepped, &wait_stage, 1, &copy_cb, 0,
                                NULL};
    if (round < ROUNDS) {
      VK_CHECK(vkQueueSubmit(ctx.queue, 1, &step_submit, VK_NULL_HANDLE));
      VK_CHECK(vkQueueSubmit(ctx.queue, 1, &copy_submit, done));
    } else {
      VkSubmitInfo both[2] = {step_submit, copy_submit};
      VK_CHECK(vkQueueSubmit(ctx.queue, 2, both, done));
    }
    VK_CHECK(vkWaitForFences(ctx.device, 1, &done, VK_TRUE, UINT64_MAX));
    EXPECT(vkGetFenceStatus(ctx.device, done) == VK_SUCCESS, "the fence is signalled after the wait");
    VK_CHECK(vkInvalidateMappedMemoryRanges(ctx.device, 1, &result_range));
    cpu_step(mirror, round);
    for (uint32_t i = 0; i < N; ++i)
      EXPECT(result_map[i] == mirror[i] && state_map[i] == mirror[i], "round %u: [%u] = %u/%u, want %u", round, i,
             result_map[i], state_map[i], mirror[i]);
    printf("round %u: result[0]=%u result[%u]=%u checksum 0x%08x\n", round, result_map[0], round,
           result_map[round], vk_sample_checksum(result_map, N));
    VK_CHECK(vkResetFences(ctx.device, 1, &done));
    EXPECT(vkGetFenceStatus(ctx.device, done) == VK_NOT_READY, "a reset fence is unsignalled");
  }
  vkUnmapMemory(ctx.device, state.memory);
  vkUnmapMemory(ctx.device, result.memory);
  free(mirror);

  vkDestroyFence(ctx.device, done, NULL);
  vkDestroySemaphore(ctx.device, stepped, NULL);
  vkDestroyCommandPool(ctx.device, cmd_pool, NULL);
  vkDestroyDescriptorPool(ctx.device, pool, NULL);
  vkDestroyPipeline(ctx.device, pipeline, NULL);
  vkDestroyShaderModule(ctx.device, module, NULL);
  vkDestroyPipelineLayout(ctx.device, layout, NULL);
  vkDestroyDescriptorSetLayout(ctx.device, set_layout, NULL);
  vk_sample_buffer_destroy(&ctx, &state);
  vk_sample_buffer_destroy(&ctx, &result);
  vk_sample_destroy(&ctx);
  printf("ok\n");
  return 0;
}
