# `cmake --install` into a fresh prefix, then the README's user flow with only
# that prefix on PATH: remora infers a header and generates a stack, and the
# runtime sources, specs and docs are where the user guide says.
# Run with -DBUILD_DIR=... -DPREFIX=... -DHEADER=...
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}): ${err}")
endif()
foreach(f bin/remora share/remora/runtime/remora_guest.cpp share/remora/specs/opencl.reviewed.json
          share/doc/Remora/user-guide.md share/doc/Remora/README.md)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "not installed: ${PREFIX}/${f}")
  endif()
endforeach()
# Only the installed binary, from an unrelated folder: nothing may point back
# into the source or build tree.
set(work ${PREFIX}/work)
file(MAKE_DIRECTORY ${work})
set(ENV{PATH} "${PREFIX}/bin:/usr/bin:/bin")
execute_process(COMMAND remora infer ${HEADER} --library libdemo.so.1 -o spec.json --quiet
                WORKING_DIRECTORY ${work} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "installed remora infer failed (${rc}): ${err}")
endif()
execute_process(COMMAND remora generate --spec spec.json -o stack
                WORKING_DIRECTORY ${work} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${work}/stack/CMakeLists.txt OR NOT EXISTS ${work}/stack/runtime/remora_guest.cpp)
  message(FATAL_ERROR "installed remora generate failed (${rc}): ${err}")
endif()
message("installed into ${PREFIX}: infer and generate work with only the prefix on PATH")
