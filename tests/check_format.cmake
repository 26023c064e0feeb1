# Fails when any C++ source under engine/ viz/ lessons/ app/ tests/ bench/ is not clang-formatted.
file(GLOB_RECURSE sources
  ${ROOT}/engine/*.h ${ROOT}/engine/*.cpp ${ROOT}/viz/*.h ${ROOT}/viz/*.cpp
  ${ROOT}/lessons/*.h ${ROOT}/lessons/*.cpp ${ROOT}/app/*.h ${ROOT}/app/*.cpp
  ${ROOT}/tests/*.h ${ROOT}/tests/*.cpp ${ROOT}/bench/*.h ${ROOT}/bench/*.cpp)
set(bad "")
foreach(f IN LISTS sources)
  execute_process(COMMAND ${CLANG_FORMAT} --style=file --dry-run --Werror ${f}
                  WORKING_DIRECTORY ${ROOT} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 0)
    list(APPEND bad ${f})
  endif()
endforeach()
list(LENGTH sources n)
if(bad)
  string(REPLACE ";" "\n  " badText "${bad}")
  message(FATAL_ERROR "not clang-formatted (run clang-format -i):\n  ${badText}")
endif()
message(STATUS "${n} files are clang-formatted")
