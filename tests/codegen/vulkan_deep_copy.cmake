# Vulkan's create-info structs are deep-copied: `remora infer` (vulkan_core.h + the
# registry vk.xml as docs) then `remora generate`, and every function a compute
# program needs must be remoted, not stubbed. Prints the remoted/stubbed counts.
#
# cmake -DREMORA=... -DWORK=DIR -P vulkan_deep_copy.cmake
# Skipped (ctest SKIP_REGULAR_EXPRESSION "REMORA-SKIP:") without libvulkan-dev.
cmake_minimum_required(VERSION 3.16)
set(header /usr/include/vulkan/vulkan_core.h)
set(registry /usr/share/vulkan/registry/vk.xml)
foreach(f ${header} ${registry})
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "REMORA-SKIP: ${f} is not installed (libvulkan-dev; see scripts/setup.sh)")
  endif()
endforeach()
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${REMORA} infer ${header} --docs ${registry} --api-name Vulkan --library libvulkan.so.1
                        -o ${WORK}/vulkan.json --quiet
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "remora infer failed (${rc}): ${err}")
endif()
execute_process(COMMAND ${REMORA} generate --spec ${WORK}/vulkan.json -o ${WORK}/vulkan-stack
                RESULT_VARIABLE rc OUTPUT_VARIABLE summary ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "remora generate failed (${rc}): ${err}")
endif()
string(REGEX MATCH "[0-9]+ function\\(s\\) remoted, [0-9]+ stubbed" counts "${summary}")
message("vulkan: ${counts}")
set(missing "")
foreach(fn vkCreateInstance vkCreateDevice vkCreateBuffer vkAllocateMemory vkCreateShaderModule
           vkCreateDescriptorSetLayout vkCreatePipelineLayout vkCreateComputePipelines vkAllocateDescriptorSets
           vkUpdateDescriptorSets vkQueueSubmit vkBeginCommandBuffer)
  string(REGEX MATCH "\n    - ${fn}: [^\n]*" line "${summary}")
  if(line)
    string(APPEND missing "${line}")
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "functions a compute program needs are stubbed:${missing}")
endif()
