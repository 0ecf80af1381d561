/* Small helpers shared by the Vulkan compute samples.
 *
 * Plain Vulkan 1.0 compute (no window system, no extensions), so the samples run
 * the same natively on lavapipe and through a remoted libvulkan. Diagnostics go
 * to stderr; stdout carries only deterministic results (no device names,
 * addresses or timings), because end-to-end tests compare it byte for byte with
 * samples/vulkan/expected/. */
#ifndef REMORA_SAMPLES_VULKAN_VK_SAMPLE_H
#define REMORA_SAMPLES_VULKAN_VK_SAMPLE_H

#include <vulkan/vulkan.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort the sample naming the failing call and its VkResult. */
#define VK_CHECK(call)                                                               \
  do {                                                                               \
    VkResult vk_check_res_ = (call);                                                 \
    if (vk_check_res_ != VK_SUCCESS) {                                               \
      fprintf(stderr, "%s:%d: %s failed with %d\n", __FILE__, __LINE__, #call,       \
              (int)vk_check_res_);                                                   \
      exit(1);                                                                       \
    }                                                                                \
  } while (0)

/* A wrong result: say what differed and exit non-zero. */
#define EXPECT(cond, ...)                                                            \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);       \
      fprintf(stderr, __VA_ARGS__);                                                  \
      fprintf(stderr, "\n");                                                         \
      exit(1);                                                                       \
    }                                                                                \
  } while (0)

/* Everything a compute sample needs: one device with one compute queue. */
typedef struct {
  VkInstance instance;
  VkPhysicalDevice physical;
  VkDevice device;
  VkQueue queue;
  uint32_t queue_family;
  VkPhysicalDeviceMemoryProperties memory;
} VkSampleContext;

/* An instance, the first physical device with a compute queue, a device and its queue. */
static inline void vk_sample_init(VkSampleContext *ctx, const char *app_name) {
  memset(ctx, 0, sizeof(*ctx));
  VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO, NULL, app_name, 1, "remora-samples", 1,
                           VK_API_VERSION_1_0};
  VkInstanceCreateInfo ici = {VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, NULL, 0, &app, 0, NULL, 0, NULL};
  VK_CHECK(vkCreateInstance(&ici, NULL, &ctx->instance));

  uint32_t count = 0;
  VK_CHECK(vkEnumeratePhysicalDevices(ctx->instance, &count, NULL));
  EXPECT(count > 0, "no Vulkan physical device (is mesa-vulkan-drivers installed?)");
  VkPhysicalDevice *devices = (VkPhysicalDevice *)calloc(count, sizeof(VkPhysicalDevice));
  VK_CHECK(vkEnumeratePhysicalDevices(ctx->instance, &count, devices));
  int found = 0;
  for (uint32_t d = 0; d < count && !found; ++d) {
    uint32_t nfam = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(devices[d], &nfam, NULL);
    VkQueueFamilyProperties *fams = (VkQueueFamilyProperties *)calloc(nfam, sizeof(*fams));
    vkGetPhysicalDeviceQueueFamilyProperties(devices[d], &nfam, fams);
    for (uint32_t f = 0; f < nfam; ++f) {
      if (fams[f].queueFlags & VK_QUEUE_COMPUTE_BIT) {
        ctx->physical = devices[d];
        ctx->queue_family = f;
        found = 1;
        break;
      }
    }
    free(fams);
  }
  free(devices);
  EXPECT(found, "no physical device with a compute queue");
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(ctx->physical, &props);
  fprintf(stderr, "device: %s (Vulkan %u.%u)\n", props.deviceName, VK_VERSION_MAJOR(props.apiVersion),
          VK_VERSION_MINOR(props.apiVersion));
  vkGetPhysicalDeviceMemoryProperties(ctx->physical, &ctx->memory);

  float priority = 1.0f;
  VkDeviceQueueCreateInfo qci = {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, NULL, 0, ctx->queue_family, 1,
                                 &priority};
  VkDeviceCreateInfo dci = {VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, NULL, 0, 1, &qci, 0, NULL, 0, NULL, NULL};
  VK_CHECK(vkCreateDevice(ctx->physical, &dci, NULL, &ctx->device));
  vkGetDeviceQueue(ctx->device, ctx->queue_family, 0, &ctx->queue);
}

static inline void vk_sample_destroy(VkSampleContext *ctx) {
  vkDestroyDevice(ctx->device, NULL);
  vkDestroyInstance(ctx->instance, NULL);
}

/* The first memory type allowed by `bits` that has all of `want`. */
static inline uint32_t vk_sample_memory_type(const VkSampleContext *ctx, uint32_t bits,
                                             VkMemoryPropertyFlags want) {
  for (uint32_t i = 0; i < ctx->memory.memoryTypeCount; ++i)
    if ((bits & (1u << i)) && (ctx->memory.memoryTypes[i].propertyFlags & want) == want) return i;
  fprintf(stderr, "no memory type with flags 0x%x\n", (unsigned)want);
  exit(1);
}

/* A storage buffer of `size` bytes bound to fresh host-visible memory. */
typedef struct {
  VkBuffer buffer;
  VkDeviceMemory memory;
  VkDeviceSize size;
} VkSampleBuffer;

static inline VkSampleBuffer vk_sample_buffer(const VkSampleContext *ctx, VkDeviceSize size,
                                              VkBufferUsageFlags usage, VkMemoryPropertyFlags want) {
  VkSampleBuffer b;
  b.size = size;
  VkBufferCreateInfo bci = {VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, NULL, 0, size, usage,
                            VK_SHARING_MODE_EXCLUSIVE, 0, NULL};
  VK_CHECK(vkCreateBuffer(ctx->device, &bci, NULL, &b.buffer));
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(ctx->device, b.buffer, &req);
  VkMemoryAllocateInfo mai = {VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, NULL, req.size,
                              vk_sample_memory_type(ctx, req.memoryTypeBits, want)};
  VK_CHECK(vkAllocateMemory(ctx->device, &mai, NULL, &b.memory));
  VK_CHECK(vkBindBufferMemory(ctx->device, b.buffer, b.memory, 0));
  return b;
}

static inline void vk_sample_buffer_destroy(const VkSampleContext *ctx, VkSampleBuffer *b) {
  vkDestroyBuffer(ctx->device, b->buffer, NULL);
  vkFreeMemory(ctx->device, b->memory, NULL);
}

/* A shader module from SPIR-V words compiled at build time (shaders/ *.comp). */
static inline VkShaderModule vk_sample_shader(const VkSampleContext *ctx, const uint32_t *code, size_t bytes) {
  VkShaderModuleCreateInfo smci = {VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, NULL, 0, bytes, code};
  VkShaderModule module;
  VK_CHECK(vkCreateShaderModule(ctx->device, &smci, NULL, &module));
  return module;
}

/* A compute pipeline running `main` of `module` with `layout`. */
static inline VkPipeline vk_sample_pipeline(const VkSampleContext *ctx, VkShaderModule module,
                                            VkPipelineLayout layout) {
  VkComputePipelineCreateInfo cpci;
  memset(&cpci, 0, sizeof(cpci));
  cpci.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
  cpci.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  cpci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  cpci.stage.module = module;
  cpci.stage.pName = "main";
  cpci.layout = layout;
  VkPipeline pipeline;
  VK_CHECK(vkCreateComputePipelines(ctx->device, VK_NULL_HANDLE, 1, &cpci, NULL, &pipeline));
  return pipeline;
}

/* A descriptor set layout of `count` storage buffers at bindings 0..count-1. */
static inline VkDescriptorSetLayout vk_sample_storage_layout(const VkSampleContext *ctx, uint32_t count) {
  VkDescriptorSetLayoutBinding bindings[8];
  EXPECT(count <= 8, "at most 8 bindings");
  for (uint32_t i = 0; i < count; ++i) {
    VkDescriptorSetLayoutBinding b = {i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, NULL};
    bindings[i] = b;
  }
  VkDescriptorSetLayoutCreateInfo dslci = {VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, NULL, 0, count,
                                           bindings};
  VkDescriptorSetLayout layout;
  VK_CHECK(vkCreateDescriptorSetLayout(ctx->device, &dslci, NULL, &layout));
  return layout;
}

/* One primary command buffer from a fresh pool. */
static inline VkCommandBuffer vk_sample_command_buffer(const VkSampleContext *ctx, VkCommandPool *pool) {
  VkCommandPoolCreateInfo cpci = {VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO, NULL,
                                  VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT, ctx->queue_family};
  VK_CHECK(vkCreateCommandPool(ctx->device, &cpci, NULL, pool));
  VkCommandBufferAllocateInfo cbai = {VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO, NULL, *pool,
                                      VK_COMMAND_BUFFER_LEVEL_PRIMARY, 1};
  VkCommandBuffer cb;
  VK_CHECK(vkAllocateCommandBuffers(ctx->device, &cbai, &cb));
  return cb;
}

/* A barrier making compute/transfer writes visible to later compute/transfer/host access. */
static inline void vk_sample_barrier(VkCommandBuffer cb) {
  VkMemoryBarrier mb = {VK_STRUCTURE_TYPE_MEMORY_BARRIER, NULL,
                        VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
                        VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                            VK_ACCESS_HOST_READ_BIT};
  vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                       VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT |
                           VK_PIPELINE_STAGE_HOST_BIT,
                       0, 1, &mb, 0, NULL, 0, NULL);
}

/* FNV-1a over 32-bit words: a short deterministic fingerprint of a result. */
static inline uint32_t vk_sample_checksum(const uint32_t *words, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) {
    h ^= words[i];
    h *= 16777619u;
  }
  return h;
}

#endif
