/* vk-02-push-constants: push constants and several descriptor sets. The input is
 * in set 0, the output in set 1; two output sets are switched between dispatches
 * (vkCmdBindDescriptorSets with firstSet 1), and the second dispatch updates only
 * part of the push-constant block (offset 4). The outputs are first filled with a
 * marker by vkCmdFillBuffer, so elements a dispatch must not touch are checked too.
 * Exercises: push-constant ranges, multi-set pipeline layouts, descriptor writes
 * with several sets, vkCmdFillBuffer, pipeline barriers, vkQueueWaitIdle. */
#include "common/vk_sample.h"
#include "affine.spv.h"

enum { N = 777 };
static const uint32_t kMarker = 0xdeadbeefu;

typedef struct {
  uint32_t scale, bias, count;
} Params;

static void write_storage(VkDevice device, VkDescriptorSet set, VkBuffer buffer) {
  VkDescriptorBufferInfo info = {buffer, 0, VK_WHOLE_SIZE};
  VkWriteDescriptorSet w = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, NULL, set, 0, 0, 1,
                            VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, NULL, &info, NULL};
  vkUpdateDescriptorSets(device, 1, &w, 0, NULL);
}

int main(void) {
  VkSampleContext ctx;
  vk_sample_init(&ctx, "vk-02-push-constants");
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(ctx.physical, &props);
  EXPECT(props.limits.maxPushConstantsSize >= sizeof(Params), "maxPushConstantsSize %u",
         props.limits.maxPushConstantsSize);

  const VkMemoryPropertyFlags host = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  const VkBufferUsageFlags usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  VkSampleBuffer src = vk_sample_buffer(&ctx, N * sizeof(uint32_t), usage, host);
  VkSampleBuffer out_a = vk_sample_buffer(&ctx, N * sizeof(uint32_t), usage, host);
  VkSampleBuffer out_b = vk_sample_buffer(&ctx, N * sizeof(uint32_t), usage, host);
  uint32_t *p = NULL;
  VK_CHECK(vkMapMemory(ctx.device, src.memory, 0, src.size, 0, (void **)&p));
  for (uint32_t i = 0; i < N; ++i) p[i] = (i * 2654435761u) >> 20;
  vkUnmapMemory(ctx.device, src.memory);

  /* Set 0: the input; set 1: an output. Both layouts are one storage buffer at binding 0. */
  VkDescriptorSetLayout one = vk_sample_storage_layout(&ctx, 1);
  VkDescriptorSetLayout set_layouts[2] = {one, one};
  VkPushConstantRange range = {VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(Params)};
  VkPipelineLayoutCreateInfo plci = {VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, NULL, 0, 2, set_layouts, 1,
                                     &range};
  VkPipelineLayout layout;
  VK_CHECK(vkCreatePipelineLayout(ctx.device, &plci, NULL, &layout));
  VkShaderModule module = vk_sample_shader(&ctx, affine_spv, sizeof(affine_spv));
  VkPipeline pipeline = vk_sample_pipeline(&ctx, module, layout);

  VkDescriptorPoolSize pool_size = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 3};
  VkDescriptorPoolCreateInfo dpci = {VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, NULL, 0, 3, 1, &pool_size};
  VkDescriptorPool pool;
  VK_CHECK(vkCreateDescriptorPool(ctx.device, &dpci, NULL, &pool));
  VkDescriptorSetLayout three[3] = {one, one, one};
  VkDescriptorSetAllocateInfo dsai = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO, NULL, pool, 3, three};
  VkDescriptorSet sets[3]; /* input, output A, output B */
  VK_CHECK(vkAllocateDescriptorSets(ctx.device, &dsai, sets));
  write_storage(ctx.device, sets[0], src.buffer);
  write_storage(ctx.device, sets[1], out_a.buffer);
  write_storage(ctx.device, sets[2], out_b.buffer);

  VkCommandPool cmd_pool;
  VkCommandBuffer cb = vk_sample_command_buffer(&ctx, &cmd_pool);
  VkCommandBufferBeginInfo begin = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO, NULL, 0, NULL};
  VK_CHECK(vkBeginCommandBuffer(cb, &begin));
  vkCmdFillBuffer(cb, out_a.buffer, 0, VK_WHOLE_SIZE, kMarker);
  vkCmdFillBuffer(cb, out_b.buffer, 0, VK_WHOLE_SIZE, kMarker);
  vk_sample_barrier(cb);
  vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
  VkDescriptorSet first_two[2] = {sets[0], sets[1]};
  vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 2, first_two, 0, NULL);
  Params pa = {3, 5, N};
  vkCmdPushConstants(cb, layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(pa), &pa);
  vkCmdDispatch(cb, (N + 31) / 32, 1, 1);
  /* Output B, and only bias and count change: scale stays 3. */
  vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 1, 1, &sets[2], 0, NULL);
  uint32_t tail[2] = {100, N / 2};
  vkCmdPushConstants(cb, layout, VK_SHADER_STAGE_COMPUTE_BIT, 4, sizeof(tail), tail);
  vkCmdDispatch(cb, (N + 31) / 32, 1, 1);
  vk_sample_barrier(cb);
  VK_CHECK(vkEndCommandBuffer(cb));
  VkSubmitInfo submit = {VK_STRUCTURE_TYPE_SUBMIT_INFO, NULL, 0, NULL, NULL, 1, &cb, 0, NULL};
  VK_CHECK(vkQueueSubmit(ctx.queue, 1, &submit, VK_NULL_HANDLE));
  VK_CHECK(vkQueueWaitIdle(ctx.queue));

  uint32_t *a = NULL, *b = NULL, *s = NULL;
  VK_CHECK(vkMapMemory(ctx.device, src.memory, 0, src.size, 0, (void **)&s));
  VK_CHECK(vkMapMemory(ctx.device, out_a.memory, 0, out_a.size, 0, (void **)&a));
  VK_CHECK(vkMapMemory(ctx.device, out_b.memory, 0, out_b.size, 0, (void **)&b));
  uint32_t untouched = 0;
  for (uint32_t i = 0; i < N; ++i) {
    EXPECT(a[i] == s[i] * 3u + 5u, "A[%u] = %u, want %u", i, a[i], s[i] * 3u + 5u);
    uint32_t want_b = i < N / 2 ? s[i] * 3u + 100u : kMarker;
    EXPECT(b[i] == want_b, "B[%u] = %u, want %u", i, b[i], want_b);
    untouched += b[i] == kMarker;
  }
  printf("vk-02-push-constants: %d elements\n", N);
  printf("A = src*3+5: A[0]=%u A[%d]=%u checksum 0x%08x\n", a[0], N - 1, a[N - 1], vk_sample_checksum(a, N));
  printf("B = src*3+100 for the first %d: B[0]=%u, %u elements keep the fill marker, checksum 0x%08x\n", N / 2,
         b[0], untouched, vk_sample_checksum(b, N));
  vkUnmapMemory(ctx.device, src.memory);
  vkUnmapMemory(ctx.device, out_a.memory);
  vkUnmapMemory(ctx.device, out_b.memory);

  vkDestroyCommandPool(ctx.device, cmd_pool, NULL);
  vkDestroyDescriptorPool(ctx.device, pool, NULL);
  vkDestroyPipeline(ctx.device, pipeline, NULL);
  vkDestroyShaderModule(ctx.device, module, NULL);
  vkDestroyPipelineLayout(ctx.device, layout, NULL);
  vkDestroyDescriptorSetLayout(ctx.device, one, NULL);
  vk_sample_buffer_destroy(&ctx, &src);
  vk_sample_buffer_destroy(&ctx, &out_a);
  vk_sample_buffer_destroy(&ctx, &out_b);
  vk_sample_destroy(&ctx);
  printf("ok\n");
  return 0;
}
