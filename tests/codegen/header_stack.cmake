# One real header -> `remora infer` (header only) -> `remora generate` -> build the
# generated stack. Fails on any inference, generation or build error, and on any
# compiler warning; prints what was remoted and how long each step took.
#
# cmake -DREMORA=... -DNAME=zlib -DHEADER=/usr/include/zlib.h -DLIBRARY=libz.so.1
#       [-DINFER_ARGS="-I;DIR;-D;X=1"] [-DREAL_LIB=/path/libz.so.1] -DWORK=DIR -P header_stack.cmake
# REAL_LIB may list several libraries (a spec spanning several: --real-lib each).
#       [-DDOCS="a.xml;b"]
# DOCS: documentation evidence for `remora infer --docs` (Vulkan's registry).
# Tests that run programs through the stack reuse WORK/NAME-stack (a CTest fixture).
# Skipped (ctest SKIP_REGULAR_EXPRESSION "REMORA-SKIP:") when the header is not installed.
cmake_minimum_required(VERSION 3.16)

if(NOT EXISTS "${HEADER}")
  message(FATAL_ERROR "REMORA-SKIP: ${HEADER} is not installed (see scripts/setup.sh)")
endif()

# A known gap (header_stack_gaps.txt): a failure is reported and skipped, a success noted.
set(known_gap "")
if(GAPS AND EXISTS "${GAPS}")
  file(STRINGS "${GAPS}" gap_lines REGEX "^${NAME} ")
  foreach(line IN LISTS gap_lines)
    string(REGEX MATCH "^[^ ]+ (.*)$" matched "${line}")
    set(known_gap "${CMAKE_MATCH_1}")
  endforeach()
endif()
function(fail text)
  if(known_gap)
    message(FATAL_ERROR "REMORA-SKIP: ${NAME} is a known gap (${known_gap}):\n${text}")
  endif()
  message(FATAL_ERROR "${text}")
endfunction()

set(spec ${WORK}/${NAME}.json)
set(out ${WORK}/${NAME}-stack)
file(MAKE_DIRECTORY ${WORK})

function(step what)
  string(TIMESTAMP t0 "%s")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(TIMESTAMP t1 "%s")
  math(EXPR secs "${t1} - ${t0}")
  set(step_out "${out}" PARENT_SCOPE)
  set(step_err "${err}" PARENT_SCOPE)
  message("${NAME}: ${what}: ${secs} s")
  if(NOT rc EQUAL 0)
    string(SUBSTRING "${err}" 0 3000 err)
    fail("${NAME}: ${what} failed (${rc}):\n${out}\n${err}")
  endif()
endfunction()

set(library_args)
if(LIBRARY)
  set(library_args --library ${LIBRARY})
endif()
set(docs_args)
foreach(doc IN LISTS DOCS)
  if(NOT EXISTS "${doc}")
    message(FATAL_ERROR "REMORA-SKIP: ${doc} (documentation of ${NAME}) is not installed (see scripts/setup.sh)")
  endif()
  list(APPEND docs_args --docs ${doc})
endforeach()
step("remora infer" ${REMORA} infer ${HEADER} ${INFER_ARGS} --api-name ${NAME} ${library_args} ${docs_args}
     -o ${spec} --quiet)
set(real_args)
foreach(lib IN LISTS REAL_LIB)
  list(APPEND real_args --real-lib ${lib})
endforeach()
step("remora generate" ${REMORA} generate --spec ${spec} -o ${out} ${real_args})
set(summary "${step_out}")
string(REGEX MATCH "[0-9]+ function\\(s\\) remoted, [0-9]+ stubbed" counts "${summary}")
string(REGEX MATCH "[0-9]+ pointer parameter\\(s\\) are passed as raw addresses" raw "${summary}")
string(REGEX MATCH "[0-9]+ function\\(s\\) ABORT" aborting "${summary}")
string(REGEX MATCH "by library:[^\n]*" by_library "${summary}")
message("${NAME}: ${counts}; ${raw}; ${aborting}")
if(by_library)
  message("${NAME}: ${by_library}")
endif()
string(REGEX MATCHALL "\n    - [^\n]*" stubbed "${summary}")
foreach(line IN LISTS stubbed)
  string(STRIP "${line}" line)
  message("${NAME}:   ${line}")
endforeach()

# Debug (-O0) keeps the check cheap, and line tables only (-g1) cheaper still (full
# debug info is ~15% of compiling a generated server); -Wall -Wextra come from the
# generated project. JOBS: 1 under ctest -j2 (the tests already run side by side).
# The runtime every stack compiles (runtime/*.cpp, the same files in each) is most of a
# small API's build (zlib: ~35 s of runtime against ~9 s of its own server and guest):
# with ccache, compiled once for all the stacks. Paths under WORK are rewritten relative
# to each stack's build folder (CCACHE_BASEDIR), so every stack's `../runtime/x.cpp` is
# the same compile; the cache lives in WORK. A cached compile replays its warnings.
set(launcher "")
find_program(CCACHE ccache)
if(CCACHE)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
  set(ENV{CCACHE_DIR} ${WORK}/ccache)
  set(ENV{CCACHE_BASEDIR} ${WORK})
  set(ENV{CCACHE_NOHASHDIR} 1)
endif()
if(NOT EXISTS ${out}/build/CMakeCache.txt)
  step("configure" ${CMAKE_COMMAND} -S ${out} -B ${out}/build -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
       -DCMAKE_C_FLAGS_DEBUG=-g1 -DCMAKE_CXX_FLAGS_DEBUG=-g1 ${launcher})
endif()
if(NOT JOBS)
  set(JOBS 2)
endif()
step("build" ${CMAKE_COMMAND} --build ${out}/build -j${JOBS})
string(REGEX MATCHALL "[^\n]*warning:[^\n]*" warnings "${step_out}\n${step_err}")
list(LENGTH warnings nwarn)
if(nwarn GREATER 0)
  list(SUBLIST warnings 0 20 first)
  string(REPLACE ";" "\n" first "${first}")
  fail("${NAME}: the generated stack builds with ${nwarn} warning(s):\n${first}")
endif()

# Guest library identity: every symbol the real library exports under a version
# is exported by the guest under the same version.
file(GLOB guest_libs ${out}/build/guest/lib*.so*)
list(GET guest_libs 0 guest)
set(checked 0)
execute_process(COMMAND readelf -W --dyn-syms ${guest} OUTPUT_VARIABLE guest_syms)
foreach(real_lib IN LISTS REAL_LIB)
  if(NOT EXISTS "${real_lib}")
    continue()
  endif()
  execute_process(COMMAND readelf -W --dyn-syms ${real_lib} OUTPUT_VARIABLE real_syms)
  string(REGEX MATCHALL " [A-Za-z_][A-Za-z0-9_]*@@[A-Za-z0-9_.]+" real_versioned "${real_syms}")
  foreach(sym IN LISTS real_versioned)
    string(STRIP "${sym}" sym)
    string(REGEX REPLACE "@@.*" "" name "${sym}")
    if(guest_syms MATCHES " ${name}@")
      if(NOT guest_syms MATCHES " ${sym}[\n ]")
        fail("${NAME}: the guest exports ${name} without the real library's version (${sym})")
      endif()
      math(EXPR checked "${checked} + 1")
    endif()
  endforeach()
endforeach()
if(REAL_LIB)
  message("${NAME}: ${checked} exported symbol(s) carry the real libraries' versions")
endif()
message("${NAME}: OK (${guest})")
if(known_gap)
  message("${NAME}: builds now: remove its line from tests/codegen/header_stack_gaps.txt")
endif()
