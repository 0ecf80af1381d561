# ctest cuda-programs.kernel-layouts: the parameter layouts the guest library reads
# from a real program's fat binary (`remora cuda-kernels`, the .nv.info records) for
# the kernels of 07_kernel_args.cu, against the layouts the C++ ABI gives their
# parameter lists (offsets and sizes worked out from the declarations; the host and
# device ABIs agree, which is what lets nvcc's host stubs pass arguments at all).
#   cmake -DREMORA=... -DPROGRAM=... -P check_kernel_layouts.cmake
execute_process(COMMAND ${REMORA} cuda-kernels ${PROGRAM} OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "remora cuda-kernels ${PROGRAM} failed (${rc}): ${err}")
endif()

# expect(KERNEL_PATTERN COUNT BYTES "offset size" ...): the kernel's listing must be
# exactly these parameters in order.
set(failures 0)
function(expect kernel count bytes)
  set(want "${kernel}: ${count} parameters, ${bytes} bytes\n")
  set(ordinal 0)
  foreach(param IN LISTS ARGN)
    string(REPLACE " " ";" parts "${param}")
    list(GET parts 0 offset)
    list(GET parts 1 size)
    string(APPEND want "      [${ordinal}] +${offset} ${size}\n")
    math(EXPR ordinal "${ordinal} + 1")
  endforeach()
  string(FIND "${out}" "${want}" at)
  if(at EQUAL -1)
    message(SEND_ERROR "${kernel}: want\n${want}")
  else()
    message(STATUS "${kernel}: ${count} parameters, ${bytes} bytes: as the C++ ABI lays them out")
  endif()
endfunction()

# scalars(int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t, bool,
#         float, double, Colour (a short enum), uint64_t*)
expect(_Z7scalarsahstijlmbfd6ColourPm 13 64 "0 1" "1 1" "2 2" "4 2" "8 4" "12 4" "16 8" "24 8" "32 1" "36 4"
       "40 8" "48 2" "56 8")
# scalars_reversed(double, float, bool, uint64_t, int64_t, uint32_t, int32_t, uint16_t, int16_t,
#                  uint8_t, int8_t, uint64_t*)
expect(_Z16scalars_reverseddfbmljitshaPm 12 56 "0 8" "8 4" "12 1" "16 8" "24 8" "32 4" "36 4" "40 2" "42 2"
       "44 1" "45 1" "48 8")
# structs(char, Padded {char; double; int} = 24 bytes, WithArray {int; float[7]; uchar} = 36
#         bytes, short, uint64_t*)
expect(_Z7structsc6Padded9WithArraysPm 5 80 "0 1" "8 24" "32 36" "68 2" "72 8")
# big(Big (256 bytes), int, uint64_t*)
expect(_Z3big3BigiPm 3 272 "0 256" "256 4" "264 8")
# many(8 x int, 4 x double, 4 x char, 2 x long long, 2 x float, uint64_t*)
expect(_Z4manyiiiiiiiiddddccccxxffPm 21 104 "0 4" "4 4" "8 4" "12 4" "16 4" "20 4" "24 4" "28 4" "32 8" "40 8"
       "48 8" "56 8" "64 1" "65 1" "66 1" "67 1" "72 8" "80 8" "88 4" "92 4" "96 8")
# scaled_sum<double, -2>(const double*, int, double, double*)
expect(_Z10scaled_sumIdLin2EEvPKT_iS0_PS0_ 4 32 "0 8" "8 4" "16 8" "24 8")
# scaled_sum<unsigned char, 1>(const uchar*, int, uchar, uchar*)
expect(_Z10scaled_sumIhLi1EEvPKT_iS0_PS0_ 4 24 "0 8" "8 4" "12 1" "16 8")
