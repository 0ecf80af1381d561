/* vk-01-square: the smallest complete compute round trip. The host fills an input
 * buffer through a mapping, one dispatch computes out[i] = in[i]^2 + i, and the host
 * reads the output back through a second mapping and checks every element.
 * Exercises: instance/device creation, buffers and memory, map/unmap, descriptor
 * sets, a compute pipeline from SPIR-V, command buffers, submit with a fence. */
#include "common/vk_sample.h"
#include "square.spv.h"

enum { N = 1000 };

int main(void) {
  VkSampleContext ctx;
  vk_sample_init(&ctx, "vk-01-square");
  const VkMemoryPropertyFlags host = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  VkSampleBuffer in = vk_sample_buffer(&ctx, N * sizeof(uint32_t), VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, host);
  VkSampleBuffer out = vk_sample_buffer(&ctx, N * sizeof(uint32_t), VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, host);

  uint32_t *p = NULL;
  VK_CHECK(vkMapMemory(ctx.device, in.memory, 0, in.size, 0, (void **)&p));
  for (uint32_t i = 0; i < N; ++i) p[i] = i * 7u + 3u;
  vkUnmapMemory(ctx.device, in.memory);

  VkDescriptorSetLayout set_layout = vk_sample_storage_layout(&ctx, 2);
  VkPipelineLayoutCreateInfo plci = {VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO, NULL, 0, 1, &set_layout, 0,
                                     NULL};
  VkPipelineLayout layout;
  VK_CHECK(vkCreatePipelineLayout(ctx.device, &plci, NULL, &layout));
  VkShaderModule module = vk_sample_shader(&ctx, square_spv, sizeof(square_spv));
  VkPipeline pipeline = vk_sample_pipeline(&ctx, module, layout);

  VkDescriptorPoolSize pool_size = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 2};
  VkDescriptorPoolCreateInfo dpci = {VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, NULL, 0, 1, 1, &pool_size};
  VkDescriptorPool pool;
  VK_CHECK(vkCreateDescriptorPool(ctx.device, &dpci, NULL, &pool));
  VkDescriptorSetAllocateInfo dsai = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO, NULL, pool, 1, &set_layout};
  VkDescriptorSet set;
  VK_CHECK(vkAllocateDescriptorSets(ctx.device, &dsai, &set));
  VkDescriptorBufferInfo infos[2] = {{in.buffer, 0, VK_WHOLE_SIZE}, {out.buffer, 0, VK_WHOLE_SIZE}};
  VkWriteDescriptorSet writes[2];
  for (int i = 0; i < 2; ++i) {
    VkWriteDescriptorSet w = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, NULL, set, (uint32_t)i, 0, 1,
                              VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, NULL, &infos[i], NULL};
    writes[i] = w;
  }
  vkUpdateDescriptorSets(ctx.device, 2, writes, 0, NULL);

  VkCommandPool cmd_pool;
  VkCommandBuffer cb = vk_sample_command_buffer(&ctx, &cmd_pool);
  VkCommandBufferBeginInfo begin = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO, NULL,
                                    VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT, NULL};
  VK_CHECK(vkBeginCommandBuffer(cb, &begin));
  vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
  vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, layout, 0, 1, &set, 0, NULL);
  vkCmdDispatch(cb, (N + 63) / 64, 1, 1);
  vk_sample_barrier(cb);
  VK_CHECK(vkEndCommandBuffer(cb));

  VkFenceCreateInfo fci = {VK_STRUCTURE_TYPE_FENCE_CREATE_INFO, NULL, 0};
  VkFence fence;
  VK_CHECK(vkCreateFence(ctx.device, &fci, NULL, &fence));
  VkSubmitInfo submit = {VK_STRUCTURE_TYPE_SUBMIT_INFO, NULL, 0, NULL, NULL, 1, &cb, 0, NULL};
  VK_CHECK(vkQueueSubmit(ctx.queue, 1, &submit, fence));
  VK_CHECK(vkWaitForFences(ctx.device, 1, &fence, VK_TRUE, UINT64_MAX));

  uint32_t *r = NULL;
  VK_CHECK(vkMapMemory(ctx.device, out.memory, 0, out.size, 0, (void **)&r));
  for (uint32_t i = 0; i < N; ++i) {
    uint32_t x = i * 7u + 3u;
    EXPECT(r[i] == x * x + i, "out[%u] = %u, want %u", i, r[i], x * x + i);
  }
  printf("vk-01-square: %d elements, out[0]=%u out[1]=%u out[%d]=%u\n", N, r[0], r[1], N - 1, r[N - 1]);
  printf("checksum 0x%08x\n", vk_sample_checksum(r, N));
  vkUnmapMemory(ctx.device, out.memory);

  vkDestroyFence(ctx.device, fence, NULL);
  vkDestroyCommandPool(ctx.device, cmd_pool, NULL);
  vkDestroyDescriptorPool(ctx.device, pool, NULL);
  vkDestroyPipeline(ctx.device, pipeline, NULL);
  vkDestroyShaderModule(ctx.device, module, NULL);
  vkDestroyPipelineLayout(ctx.device, layout, NULL);
  vkDestroyDescriptorSetLayout(ctx.device, set_layout, NULL);
  vk_sample_buffer_destroy(&ctx, &in);
  vk_sample_buffer_destroy(&ctx, &out);
  vk_sample_destroy(&ctx);
  printf("ok\n");
  return 0;
}
