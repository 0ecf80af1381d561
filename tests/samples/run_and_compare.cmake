cmake_minimum_required(VERSION 3.25)
# Runs one sample program and checks it: exit code 0 and stdout identical to
# the committed expected file. Invoked by CTest as
#   cmake -DEXE=<program> -DEXPECTED=<file> -P run_and_compare.cmake
# Stderr is shown on failure only (it carries device-specific diagnostics).
if(NOT EXE OR NOT EXPECTED)
  message(FATAL_ERROR "usage: cmake -DEXE=<program> -DEXPECTED=<expected stdout file> -P run_and_compare.cmake")
endif()
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "expected output ${EXPECTED} is missing; generate it with samples/opencl/update_expected.sh")
endif()
execute_process(COMMAND "${EXE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "${EXE} exited with '${rc}' (want 0)\n--- stdout\n${out}--- stderr\n${err}")
endif()
file(READ "${EXPECTED}" want)
if(NOT out STREQUAL want)
  message(FATAL_ERROR "${EXE}: stdout differs from ${EXPECTED}\n--- expected\n${want}--- actual\n${out}--- stderr\n${err}")
endif()
message(STATUS "${EXE}: exit 0, stdout matches ${EXPECTED}")
