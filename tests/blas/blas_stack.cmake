# The CBLAS stack the BLAS end-to-end tests share (CTest fixture "blas_stack"):
#   1. `remora infer` on cblas.h now, then the human review replayed on it
#      (specs/cblas_review_edits.py): the stack always comes from today's inference
#      plus the written-down edits, counted with `remora diff`;
#   2. a note (not a failure) when specs/cblas.inferred.json, the committed copy, is
#      no longer what inference gives: refresh it and cblas.reviewed.json;
#   3. `remora generate` (guest soname libblas.so.3) and build (Debug: the check is
#      about behaviour, and -O0 is cheapest to build).
# cmake -DREMORA=... -DPYTHON=... -DSOURCE_DIR=... -DHEADER=... -DREAL_LIB=... -DWORK=... [-DJOBS=2] -P blas_stack.cmake
cmake_minimum_required(VERSION 3.16)
foreach(needed "${HEADER}" "${REAL_LIB}")
  if(NOT EXISTS "${needed}")
    message(FATAL_ERROR "REMORA-SKIP: ${needed} is not installed (libopenblas-dev; see scripts/setup.sh)")
  endif()
endforeach()
if(NOT PYTHON)
  message(FATAL_ERROR "REMORA-SKIP: python3 (to replay specs/cblas_review_edits.py) was not found")
endif()
file(MAKE_DIRECTORY ${WORK})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(step_out "${out}" PARENT_SCOPE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
endfunction()

get_filename_component(include_dir ${HEADER} DIRECTORY)
step("remora infer" ${REMORA} infer ${HEADER} -I ${include_dir} --api-name CBLAS --library libblas.so.3
     -o ${WORK}/cblas.inferred.json --quiet)
# A failure here means inference renamed or dropped what the review edits: update the script.
step("replay the review (specs/cblas_review_edits.py)" ${PYTHON} ${SOURCE_DIR}/specs/cblas_review_edits.py ${WORK}/cblas.inferred.json
     ${WORK}/cblas.reviewed.json)
step("remora diff (human edits)" ${REMORA} diff ${WORK}/cblas.inferred.json ${WORK}/cblas.reviewed.json)
string(REGEX MATCH "[0-9]+ functions and [0-9]+ parameters changed" edits "${step_out}")
message("cblas: human edits: ${edits}")
step("remora diff (committed inferred spec vs. inference now)" ${REMORA} diff
     ${SOURCE_DIR}/specs/cblas.inferred.json ${WORK}/cblas.inferred.json)
if(NOT step_out MATCHES "0 functions and 0 parameters changed")
  string(REGEX MATCH "[0-9]+ functions and [0-9]+ parameters changed" drift "${step_out}")
  message("cblas: NOTE: specs/cblas.inferred.json is out of date (${drift} since): refresh it with "
          "cp ${WORK}/cblas.inferred.json ${WORK}/cblas.reviewed.json ${SOURCE_DIR}/specs/")
endif()

set(out ${WORK}/cblas-stack)
step("remora generate" ${REMORA} generate --spec ${WORK}/cblas.reviewed.json -o ${out}
     --real-lib ${REAL_LIB})
string(REGEX MATCH "[0-9]+ function\\(s\\) remoted, [0-9]+ stubbed" counts "${step_out}")
string(REGEX MATCH "[0-9]+ pointer parameter\\(s\\) are passed as raw addresses" raw "${step_out}")
message("cblas: ${counts}; ${raw}")
if(NOT raw MATCHES "^0 ")
  message(FATAL_ERROR "the reviewed CBLAS spec passes guest addresses to the server:\n${step_out}")
endif()
if(NOT EXISTS ${out}/build/CMakeCache.txt)
  step("configure" ${CMAKE_COMMAND} -S ${out} -B ${out}/build -DCMAKE_BUILD_TYPE=Debug)
endif()
if(NOT JOBS)
  set(JOBS 2)
endif()
string(TIMESTAMP t0 "%s")
step("build" ${CMAKE_COMMAND} --build ${out}/build -j${JOBS})
string(TIMESTAMP t1 "%s")
math(EXPR secs "${t1} - ${t0}")
string(REGEX MATCHALL "[^\n]*warning:[^\n]*" warnings "${step_out}")
if(warnings)
  message(FATAL_ERROR "the generated CBLAS stack builds with warnings:\n${warnings}")
endif()
message("cblas: stack built in ${secs} s: ${out}/build")
