"""Hand-written Vulkan truth labels for /usr/include/vulkan/vulkan_core.h, read
from the registry /usr/share/vulkan/registry/vk.xml (each <param>'s `len`,
`optional`, `externsync`) and the Vulkan specification's conventions it encodes:

- "len": the element count of an array parameter (another parameter, a member
  of an input struct `pAllocateInfo->descriptorSetCount`, `null-terminated`).
- "optional": true -> NULL is valid (pointers); "false,true" on a count pointer
  -> the pointer must be valid but *pCount may be 0.
- Non-const pointers are outputs (spec "Valid Usage": "must be a valid pointer
  to a ... value/structure" that the command writes); const pointers are inputs.
- Two-call enumeration (spec "Opaque Handles ... Enumeration"): "If pX is
  NULL, then the number of ... available is returned in pCount. Otherwise,
  pCount must point to a variable set by the application to the number of
  elements in the pX array, and on return the variable is overwritten with the
  number of structures actually written" -> the count is `inout`, the array an
  `out buffer` of `*pCount` elements, nullable.
Rules and judgment calls shared with the other truths: NOTES.md."""

HANDLE_TYPES = {"VkInstance", "VkPhysicalDevice", "VkDevice", "VkQueue", "VkDeviceMemory", "VkFence", "VkBuffer",
                "VkShaderModule", "VkPipelineCache", "VkPipeline", "VkPipelineLayout", "VkDescriptorSetLayout",
                "VkDescriptorPool", "VkDescriptorSet", "VkCommandPool", "VkCommandBuffer", "VkSemaphore", "VkEvent",
                "VkQueryPool", "VkImage", "VkImageView", "VkSampler", "VkRenderPass", "VkFramebuffer", "VkBufferView"}
NULLABLE_HANDLES = set()
STATUS_TYPES = {"VkResult": "VK_SUCCESS"}

ALLOC = "in element nullable -- vk.xml optional=\"true\": \"pAllocator controls host memory allocation\"; NULL uses the default allocator"
CREATE_INFO = "in element -- vk.xml: one const create-info structure (no len), read by the call"


def create(info="pCreateInfo", out=None, note=""):
    """vkCreateX(device, pCreateInfo, pAllocator, pX): the common constructor shape."""
    return {"params": {info: CREATE_INFO, "pAllocator": ALLOC,
                       out: "out element elem=handle allocates -- vk.xml: non-const, no len: one new handle is written" + note}}


def destroy(obj):
    return {"params": {obj: "handle nullable deallocates -- vk.xml optional=\"true\" externsync: \"If X is not VK_NULL_HANDLE ... \"; destroys the object",
                       "pAllocator": ALLOC}}


def enumerate(count, items, item_kind="", note=""):
    """Two-call enumeration (see the module comment)."""
    elem = f" elem={item_kind}" if item_kind else ""
    return {count: "inout element -- vk.xml optional=\"false,true\": \"pointer to an integer related to the number of ... available or queried\" (capacity in, count written out)",
            items: f"out buffer size=*{count} elements nullable{elem} -- vk.xml len=\"{count}\" optional=\"true\": NULL queries the count{note}"}


LABELS = {
    # ------------------------------------------------------------ instance and devices
    "vkCreateInstance": create(out="pInstance"),
    "vkDestroyInstance": destroy("instance"),
    "vkEnumerateInstanceVersion": {"params": {"pApiVersion": "out element -- vk.xml: uint32_t* pApiVersion, one value written"}},
    "vkEnumerateInstanceExtensionProperties": {"params": {
        "pLayerName": "in string nullable -- vk.xml len=\"null-terminated\" optional=\"true\"",
        **enumerate("pPropertyCount", "pProperties")}},
    "vkEnumerateInstanceLayerProperties": {"params": enumerate("pPropertyCount", "pProperties")},
    "vkEnumeratePhysicalDevices": {"params": enumerate("pPhysicalDeviceCount", "pPhysicalDevices", "handle",
                                                       "; the handles belong to the instance (not allocated)")},
    "vkGetPhysicalDeviceProperties": {"params": {"pProperties": "out element -- vk.xml: one VkPhysicalDeviceProperties written"}},
    "vkGetPhysicalDeviceFeatures": {"params": {"pFeatures": "out element -- vk.xml: one VkPhysicalDeviceFeatures written"}},
    "vkGetPhysicalDeviceMemoryProperties": {"params": {"pMemoryProperties": "out element -- vk.xml: one struct written"}},
    "vkGetPhysicalDeviceFormatProperties": {"params": {"pFormatProperties": "out element -- vk.xml: one struct written"}},
    "vkGetPhysicalDeviceQueueFamilyProperties": {"params": enumerate("pQueueFamilyPropertyCount", "pQueueFamilyProperties")},
    "vkEnumerateDeviceExtensionProperties": {"params": {
        "pLayerName": "in string nullable -- vk.xml len=\"null-terminated\" optional=\"true\"",
        **enumerate("pPropertyCount", "pProperties")}},
    "vkCreateDevice": create(out="pDevice"),
    "vkDestroyDevice": destroy("device"),
    "vkGetDeviceQueue": {"params": {"pQueue": "out element elem=handle -- vk.xml: one VkQueue written; queues are created with the device, not by this call"}},
    "vkGetInstanceProcAddr": {"unsupported": "returns a function pointer into the host's loader; a guest cannot call it",
                              "params": {"pName": "in string -- vk.xml len=\"null-terminated\""},
                              "ret": "callback -- PFN_vkVoidFunction: the address of a command"},
    # ------------------------------------------------------------ queues and synchronisation
    "vkQueueSubmit": {"sync": "async", "note": "\"Queue submission commands ... return immediately\"; work completes later (fence)",
                      "params": {"pSubmits": "in buffer size=submitCount elements -- vk.xml len=\"submitCount\""}},
    "vkQueueWaitIdle": {"barrier": True, "note": "\"wait on the host for the completion of outstanding queue operations for a given queue\""},
    "vkDeviceWaitIdle": {"barrier": True, "note": "\"wait on the host for the completion of outstanding queue operations for all queues\""},
    "vkCreateFence": create(out="pFence"),
    "vkDestroyFence": destroy("fence"),
    "vkResetFences": {"params": {"pFences": "in buffer size=fenceCount elements elem=handle -- vk.xml len=\"fenceCount\" externsync"}},
    "vkGetFenceStatus": {},
    "vkWaitForFences": {"params": {"pFences": "in buffer size=fenceCount elements elem=handle -- vk.xml len=\"fenceCount\""}},
    "vkCreateSemaphore": create(out="pSemaphore"),
    "vkCreateEvent": create(out="pEvent"),
    # ------------------------------------------------------------ memory and buffers
    "vkAllocateMemory": {"params": {
        "pAllocateInfo": "in element -- vk.xml: one VkMemoryAllocateInfo",
        "pAllocator": ALLOC,
        "pMemory": "out element elem=handle allocates -- vk.xml: one VkDeviceMemory written"}},
    "vkFreeMemory": destroy("memory"),
    "vkMapMemory": {"params": {
        "ppData": "out element elem=buffer -- vk.xml optional=\"false,true\": \"a pointer to a void* variable in which a host-accessible pointer to the beginning of the mapped range is returned\"; the range is size bytes or VK_WHOLE_SIZE (not expressible)"}},
    "vkUnmapMemory": {},
    "vkFlushMappedMemoryRanges": {"params": {"pMemoryRanges": "in buffer size=memoryRangeCount elements -- vk.xml len=\"memoryRangeCount\""}},
    "vkInvalidateMappedMemoryRanges": {"params": {"pMemoryRanges": "in buffer size=memoryRangeCount elements -- vk.xml len=\"memoryRangeCount\""}},
    "vkGetDeviceMemoryCommitment": {"params": {"pCommittedMemoryInBytes": "out element -- vk.xml: one VkDeviceSize written"}},
    "vkCreateBuffer": create(out="pBuffer"),
    "vkDestroyBuffer": destroy("buffer"),
    "vkBindBufferMemory": {},
    "vkGetBufferMemoryRequirements": {"params": {"pMemoryRequirements": "out element -- vk.xml: one VkMemoryRequirements written"}},
    # ------------------------------------------------------------ pipelines and descriptors
    "vkCreateShaderModule": create(out="pShaderModule"),
    "vkCreatePipelineCache": create(out="pPipelineCache"),
    "vkGetPipelineCacheData": {"params": {
        "pDataSize": "inout element -- vk.xml optional=\"false,true\": \"If pData is NULL, then the maximum size of the data that can be retrieved from the pipeline cache, in bytes, is returned in pDataSize. Otherwise, pDataSize must point to a variable set by the application to the size of the buffer, in bytes\"",
        "pData": "out buffer size=*pDataSize bytes nullable -- vk.xml len=\"pDataSize\" optional=\"true\": a void* sized in bytes"}},
    "vkMergePipelineCaches": {"params": {"pSrcCaches": "in buffer size=srcCacheCount elements elem=handle -- vk.xml len=\"srcCacheCount\""}},
    "vkCreateComputePipelines": {"params": {
        "pCreateInfos": "in buffer size=createInfoCount elements -- vk.xml len=\"createInfoCount\"",
        "pAllocator": ALLOC,
        "pPipelines": "out buffer size=createInfoCount elements elem=handle allocates -- vk.xml len=\"createInfoCount\": one new pipeline per create info"}},
    "vkDestroyPipeline": destroy("pipeline"),
    "vkCreatePipelineLayout": create(out="pPipelineLayout"),
    "vkCreateDescriptorSetLayout": create(out="pSetLayout"),
    "vkCreateDescriptorPool": create(out="pDescriptorPool"),
    "vkAllocateDescriptorSets": {"params": {
        "pAllocateInfo": "in element -- vk.xml: one VkDescriptorSetAllocateInfo",
        "pDescriptorSets": "out buffer size=pAllocateInfo->descriptorSetCount elements elem=handle allocates -- vk.xml len=\"pAllocateInfo->descriptorSetCount\""}},
    "vkFreeDescriptorSets": {"params": {
        "pDescriptorSets": "in buffer size=descriptorSetCount elements elem=handle -- vk.xml len=\"descriptorSetCount\" externsync; the sets are freed (noautovalidity: VK_NULL_HANDLE entries are ignored)"}},
    "vkUpdateDescriptorSets": {"params": {
        "pDescriptorWrites": "in buffer size=descriptorWriteCount elements -- vk.xml len=\"descriptorWriteCount\"",
        "pDescriptorCopies": "in buffer size=descriptorCopyCount elements -- vk.xml len=\"descriptorCopyCount\""}},
    "vkCreateQueryPool": create(out="pQueryPool"),
    "vkGetQueryPoolResults": {"params": {
        "pData": "out buffer size=dataSize bytes -- vk.xml len=\"dataSize\": \"pData is a pointer to an application-allocated buffer where the results will be written\"; dataSize \"is the size in bytes of the buffer pointed to by pData\""}},
    # ------------------------------------------------------------ command buffers
    "vkCreateCommandPool": create(out="pCommandPool"),
    "vkResetCommandPool": {},
    "vkAllocateCommandBuffers": {"params": {
        "pAllocateInfo": "in element -- vk.xml: one VkCommandBufferAllocateInfo",
        "pCommandBuffers": "out buffer size=pAllocateInfo->commandBufferCount elements elem=handle allocates -- vk.xml len=\"pAllocateInfo->commandBufferCount\""}},
    "vkFreeCommandBuffers": {"params": {
        "pCommandBuffers": "in buffer size=commandBufferCount elements elem=handle -- vk.xml len=\"commandBufferCount\" externsync"}},
    "vkBeginCommandBuffer": {"params": {"pBeginInfo": "in element -- vk.xml: one VkCommandBufferBeginInfo"}},
    "vkEndCommandBuffer": {},
    "vkCmdBindPipeline": {},
    "vkCmdBindDescriptorSets": {"params": {
        "pDescriptorSets": "in buffer size=descriptorSetCount elements elem=handle -- vk.xml len=\"descriptorSetCount\"",
        "pDynamicOffsets": "in buffer size=dynamicOffsetCount elements -- vk.xml len=\"dynamicOffsetCount\" (uint32_t values)"}},
    "vkCmdBindVertexBuffers": {"params": {
        "pBuffers": "in buffer size=bindingCount elements elem=handle -- vk.xml len=\"bindingCount\"",
        "pOffsets": "in buffer size=bindingCount elements -- vk.xml len=\"bindingCount\" (VkDeviceSize values)"}},
    "vkCmdDispatch": {},
    "vkCmdCopyBuffer": {"params": {"pRegions": "in buffer size=regionCount elements -- vk.xml len=\"regionCount\""}},
    "vkCmdPushConstants": {"params": {
        "pValues": "in buffer size=size bytes -- vk.xml len=\"size\" on a const void*: \"size is the size of the push constant range to update, in bytes\""}},
    "vkCmdUpdateBuffer": {"params": {
        "pData": "in buffer size=dataSize bytes -- vk.xml len=\"dataSize\": \"dataSize is the number of bytes to update\""}},
    "vkCmdFillBuffer": {},
    "vkCmdPipelineBarrier": {"params": {
        "pMemoryBarriers": "in buffer size=memoryBarrierCount elements -- vk.xml len=\"memoryBarrierCount\"",
        "pBufferMemoryBarriers": "in buffer size=bufferMemoryBarrierCount elements -- vk.xml len=\"bufferMemoryBarrierCount\"",
        "pImageMemoryBarriers": "in buffer size=imageMemoryBarrierCount elements -- vk.xml len=\"imageMemoryBarrierCount\""}},
    "vkCmdWaitEvents": {"params": {
        "pEvents": "in buffer size=eventCount elements elem=handle -- vk.xml len=\"eventCount\"",
        "pMemoryBarriers": "in buffer size=memoryBarrierCount elements -- vk.xml len=\"memoryBarrierCount\"",
        "pBufferMemoryBarriers": "in buffer size=bufferMemoryBarrierCount elements -- vk.xml len=\"bufferMemoryBarrierCount\"",
        "pImageMemoryBarriers": "in buffer size=imageMemoryBarrierCount elements -- vk.xml len=\"imageMemoryBarrierCount\""}},
    "vkCmdExecuteCommands": {"params": {"pCommandBuffers": "in buffer size=commandBufferCount elements elem=handle -- vk.xml len=\"commandBufferCount\""}},
}
